using System.Globalization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Migrations.Upgrade: `alembic upgrade`, after a fresh backup.</summary>
/// <param name="Revision">The revision to upgrade to ("head").</param>
/// <param name="BackupStep">The step of this run whose backup counts as the fresh one (its journaled result); null: the agent takes one.</param>
public sealed record UpgradeStep(string Revision, int? BackupStep = null) : AgentStep
{
    protected override string OperationName => OperationKinds.MigrationsUpgrade;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        BackupStep is { } step ? [Arg("revision", Revision), Arg("backup_step", step.ToString(CultureInfo.InvariantCulture))] : [Arg("revision", Revision)];
}
