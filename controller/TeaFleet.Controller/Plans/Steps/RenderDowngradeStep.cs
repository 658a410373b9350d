using System.Globalization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Migrations.Downgrade with offline = true: the agent renders the chain (`alembic downgrade --sql FROM:TO`
/// in the live release's image) and changes nothing. A Type 2's pre-flight: a chain that cannot render
/// (a downgrade() that raises) is refused before any service stops.
/// </summary>
/// <param name="Steps">How many revisions the downgrade reverts (the agent checks it agrees with <paramref name="Revision"/>).</param>
/// <param name="Revision">The revision the downgrade ends at.</param>
public sealed record RenderDowngradeStep(int Steps, string Revision = "") : AgentStep
{
    protected override string OperationName => OperationKinds.MigrationsRender;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments()
    {
        var arguments = new List<KeyValuePair<string, string>> { Arg("steps", Steps.ToString(CultureInfo.InvariantCulture)) };
        if (Revision.Length > 0)
        {
            arguments.Add(Arg("revision", Revision));
        }

        arguments.Add(Arg("offline", "true"));
        return arguments;
    }
}
