using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Database.Restore of a catalogued backup: verify it, safety backup, restore, check.</summary>
public sealed record RestoreStep(string BackupId) : AgentStep
{
    protected override string OperationName => OperationKinds.DatabaseRestore;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("backup", BackupId)];
}
