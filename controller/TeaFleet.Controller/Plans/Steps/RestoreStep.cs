using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Database.Restore of a catalogued backup: verify it, safety backup, restore, check.</summary>
/// <param name="BackupId">The backup's catalogue id; empty when <see cref="BackupStep"/> names the step of this run that takes it.</param>
public sealed record RestoreStep(string BackupId) : AgentStep
{
    /// <summary>The step of this run whose backup is restored (its journaled <c>backup_id</c>), e.g. a Type 2's pre-downgrade backup; null: <see cref="BackupId"/>.</summary>
    public int? BackupStep { get; init; }

    protected override string OperationName => OperationKinds.DatabaseRestore;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        BackupStep is { } step ? [Arg("backup_step", step.ToString(System.Globalization.CultureInfo.InvariantCulture))] : [Arg("backup", BackupId)];
}
