using System.Globalization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Migrations.Upgrade: `alembic upgrade`, after a fresh backup.</summary>
/// <param name="Revision">The revision to upgrade to ("head").</param>
/// <param name="BackupStep">The step of this run whose backup counts as the fresh one (its journaled result); null: the agent takes one.</param>
/// <param name="Commit">The release whose scripts and image run the upgrade (a deploy's target, before its switch); empty: the live release.</param>
public sealed record UpgradeStep(string Revision, int? BackupStep = null, string Commit = "") : AgentStep
{
    protected override string OperationName => OperationKinds.MigrationsUpgrade;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments()
    {
        List<KeyValuePair<string, string>> args = [Arg("revision", Revision)];
        if (Commit.Length > 0)
        {
            args.Add(Arg("commit", Commit));
        }

        if (BackupStep is { } step)
        {
            args.Add(Arg("backup_step", step.ToString(CultureInfo.InvariantCulture)));
        }

        return args;
    }
}
