using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Services.Recreate: checkout of the commit, images reused or built (again, without cache), containers recreated, verified, ledger.</summary>
/// <param name="Services">The services to switch; empty: the host's release services.</param>
/// <param name="Commit">The full commit to switch to.</param>
/// <param name="Kind">What the agent's ledger records: a rollback or a deploy.</param>
/// <param name="NoCache">Build the images again without cache (Type 3).</param>
public sealed record RecreateServicesStep(IReadOnlyList<string> Services, string Commit, PlanKind Kind, bool NoCache = false) : AgentStep
{
    /// <summary>What the agent will remove on this host: services of the running release the target does not define (never data services). Shown, not sent: the agent decides from the target's own files.</summary>
    public IReadOnlyList<string> Removes { get; init; } = [];

    /// <summary>What the target adds on this host: services it defines that the running release does not.</summary>
    public IReadOnlyList<string> Creates { get; init; } = [];

    /// <summary>How each service is switched on this host (rolling with no gap, or recreated with an outage, and why), as the agent reported it. Shown, not sent: the agent decides again when it switches.</summary>
    public IReadOnlyList<string> Modes { get; init; } = [];

    protected override string OperationName => OperationKinds.ServicesRecreate;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments()
    {
        List<KeyValuePair<string, string>> args = [Arg("services", ServicesText(Services)), Arg("commit", Commit), Arg("kind", Kind.Word())];
        if (NoCache)
        {
            args.Add(Arg("no_cache", "true"));
        }

        if (Removes.Count > 0)
        {
            args.Add(Arg("removes", string.Join(",", Removes)));
        }

        if (Creates.Count > 0)
        {
            args.Add(Arg("creates", string.Join(",", Creates)));
        }

        if (Modes.Count > 0)
        {
            args.Add(Arg("modes", string.Join("; ", Modes)));
        }

        return args;
    }
}
