using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Database.PruneBackups by the host's retention policy; a dry run lists and deletes nothing.</summary>
public sealed record PruneBackupsStep(bool DryRun = false) : AgentStep
{
    protected override string OperationName => OperationKinds.DatabasePrune;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => DryRun ? [Arg("dry_run", "true")] : [];
}
