namespace TeaFleet.Controller.Plans;

/// <summary>What a plan does; journaled and printed in lower case ("rollback", "deploy", ...).</summary>
public enum PlanKind
{
    Rollback = 1,
    Deploy = 2,
    Backup = 3,
    Verify = 4,
    Prune = 5,
    Restore = 6,
    Repair = 7,
    RepairLeftovers = 8,
    Block = 9,
    Allow = 10,
    BadGateway = 11,
    FrontendRollback = 12,
    WorkerRollback = 13,
    MaintenanceOn = 14,
    MaintenanceOff = 15,
    Security = 16,
}
