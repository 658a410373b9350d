using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Services.Recreate: checkout of the commit, images reused or built (again, without cache), containers recreated, verified, ledger.</summary>
/// <param name="Services">The services to switch; empty: the host's release services.</param>
/// <param name="Commit">The full commit to switch to.</param>
/// <param name="Kind">What the agent's ledger records: a rollback or a deploy.</param>
/// <param name="NoCache">Build the images again without cache (Type 3).</param>
public sealed record RecreateServicesStep(IReadOnlyList<string> Services, string Commit, PlanKind Kind, bool NoCache = false) : AgentStep
{
    protected override string OperationName => OperationKinds.ServicesRecreate;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        NoCache
            ? [Arg("services", ServicesText(Services)), Arg("commit", Commit), Arg("kind", Kind.Word()), Arg("no_cache", "true")]
            : [Arg("services", ServicesText(Services)), Arg("commit", Commit), Arg("kind", Kind.Word())];
}
