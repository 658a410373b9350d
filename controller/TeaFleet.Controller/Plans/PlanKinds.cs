namespace TeaFleet.Controller.Plans;

/// <summary>The words of <see cref="PlanKind"/>, as the journal, the agents' ledger and the output spell them.</summary>
public static class PlanKinds
{
    public static string Word(this PlanKind kind) => kind switch
    {
        PlanKind.Rollback => "rollback",
        PlanKind.Deploy => "deploy",
        PlanKind.Backup => "backup",
        PlanKind.Verify => "verify",
        PlanKind.Prune => "prune",
        PlanKind.Restore => "restore",
        PlanKind.Repair => "repair",
        PlanKind.RepairLeftovers => "repair-leftovers",
        PlanKind.Block => "block",
        PlanKind.Allow => "allow",
        PlanKind.BadGateway => "bad-gateway",
        PlanKind.FrontendRollback => "frontend-rollback",
        PlanKind.WorkerRollback => "worker-rollback",
        PlanKind.MaintenanceOn => "maintenance-on",
        PlanKind.MaintenanceOff => "maintenance-off",
        PlanKind.Security => "security",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
