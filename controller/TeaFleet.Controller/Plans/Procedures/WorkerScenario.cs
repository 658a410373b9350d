using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Runbook scenario 3, "worker processing jobs incorrectly": stop the worker immediately (every host), clear
/// the problematic jobs from Redis (the queues of Agent:Queue on the database host, never the whole
/// database), roll the worker's code back (<c>up -d --force-recreate worker</c> at the previous release),
/// then the health check. The way back: the worker started again when the run fails after it was stopped.
/// </summary>
public sealed class WorkerScenario : RoleRollbackScenario
{
    public override PlanKind Kind => PlanKind.WorkerRollback;

    public override string Scenario => Scenarios.Worker;

    public override string Role => ServiceRoles.WorkerRole;

    public override string Title => "Scenario 3: worker processing jobs incorrectly (worker stopped, queue cleared, worker back to the previous release)";

    public override string DataLoss(Plan plan) => "- Data loss: the jobs waiting in the flushed queues (the problematic ones among them); no database change";

    public override string NextMove(string inventoryOption, Plan plan, string host, string runId) =>
        $"the worker was started again where it had been stopped. If the queue flush failed, read its message (Agent:Queue must be configured on the database host's agent; Redis reachable), fix and run the scenario again; else read the worker's logs (teafleet {inventoryOption} logs {plan.Environment} {plan.Services.FirstOrDefault() ?? Role} --host {host} --tail 50) and re-run (teafleet {inventoryOption} resume {runId}), or escalate to a Type 2/3 rollback (ROLLBACK.md).";
}
