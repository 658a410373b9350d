using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Commands;

/// <summary>
/// Keeps the closed gate's advice from being a no-op (issue 11 item 17). The drill the gate names is the same
/// rollback on staging; after a failed drill (or a recovery) staging may already run the target, and the
/// drill then says "nothing to do", or staging's database may make the planner choose another type, whose
/// success would not open the gate. Either way the advice starts with the deploy that brings staging to
/// what the gated environment runs, so that the drill rehearses the same plan.
/// </summary>
public static class DrillPreparation
{
    public static async Task<DrillDecision> AdviseAsync(DrillDecision decision, Planner planner, FleetInventory inventory, EnvironmentConfig environment, Plan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (decision.Allowed || decision.Command is null || plan.Kind != PlanKind.Rollback || inventory.DrillSourceFor(environment) is not { } staging)
        {
            return decision;
        }

        Plan drill;
        try
        {
            var request = new RollbackRequest(plan.TargetCommit, plan.Services, plan.Type == RollbackType.FullSystem ? 3 : null);
            drill = await planner.PlanRollbackAsync(staging, request, now, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetException)
        {
            // Staging cannot even plan it (unreachable, a refusal): the gate's own advice stands; running it says why.
            return decision;
        }

        if (!drill.NothingToDo && drill.DrillKey == plan.DrillKey)
        {
            return decision;
        }

        var running = plan.CurrentCommits.Values.Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var why = drill.NothingToDo
            ? $"'{staging.Name}' already runs {PlanText.Short(plan.TargetCommit)}, so the drill would have nothing to do"
            : $"on '{staging.Name}' it would be a Type {(int)drill.Type} rollback, not the Type {(int)plan.Type} planned here, and would not count";
        if (running.Count != 1)
        {
            return decision with { Message = $"{decision.Message} {why}; bring '{staging.Name}' to what '{environment.Name}' runs first." };
        }

        return decision with
        {
            Message = $"{decision.Message} {why}: bring '{staging.Name}' to what '{environment.Name}' runs ({PlanText.Short(running[0])}) first.",
            Prepare = $"teafleet -i {inventory.Path} deploy {staging.Name} {running[0]}",
        };
    }
}
