using System.Globalization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Migrations.Downgrade with the live release's scripts, after a fresh backup.</summary>
/// <param name="Steps">How many revisions to revert (the agent checks it agrees with <paramref name="Revision"/>).</param>
/// <param name="Revision">The revision to reach; empty: <paramref name="Steps"/> below the database's.</param>
/// <param name="BackupStep">The step of this run whose backup counts as the fresh one (its journaled result); null: the agent takes one.</param>
public sealed record DowngradeStep(int Steps, string Revision = "", int? BackupStep = null) : AgentStep
{
    protected override string OperationName => OperationKinds.MigrationsDowngrade;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments()
    {
        var arguments = new List<KeyValuePair<string, string>> { Arg("steps", Steps.ToString(CultureInfo.InvariantCulture)) };
        if (Revision.Length > 0)
        {
            arguments.Add(Arg("revision", Revision));
        }

        if (BackupStep is { } step)
        {
            arguments.Add(Arg("backup_step", step.ToString(CultureInfo.InvariantCulture)));
        }

        return arguments;
    }
}
