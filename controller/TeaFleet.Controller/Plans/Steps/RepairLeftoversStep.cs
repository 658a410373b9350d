using System.Globalization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Migrations.RepairLeftovers: drop what a downgrade left behind (a plain DROP each, never CASCADE), after a fresh backup.</summary>
/// <param name="BackupStep">The step of this run whose backup counts as the fresh one (its journaled result); null: the agent takes one.</param>
public sealed record RepairLeftoversStep(int? BackupStep = null) : AgentStep
{
    protected override string OperationName => OperationKinds.MigrationsRepairLeftovers;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        BackupStep is { } step ? [Arg("backup_step", step.ToString(CultureInfo.InvariantCulture))] : [];
}
