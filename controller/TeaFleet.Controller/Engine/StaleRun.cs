using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Before <c>resume</c> takes a run up again: its journaled plan was made against what the hosts ran then. A
/// host whose ledger has a release of another run (or of none) after this run's own (or, without those,
/// one started after the run's journal ends) was changed
/// since (another rollback or deploy, or a resumed one of those): the rest of this plan would replay
/// switches and migrations over that. Refused before anything changes, with the run that came in between
/// and the command that plans the same thing again against what the hosts run now.
/// </summary>
public static class StaleRun
{
    public static async Task CheckAsync(IFleetReader reader, EnvironmentConfig environment, RunRecord run, CancellationToken cancellationToken)
    {
        var hosts = run.Plan.Steps.Select(s => s.Host).ToHashSet(StringComparer.Ordinal);
        // The environment's lease keeps another run out while this one lives: what came in between came after its
        // journal's last line. Where the host's ledger has this run's own releases, their order says it without
        // comparing the two machines' clocks.
        var ended = run.Entries.Count > 0 ? run.Entries.Max(e => e.Time) : run.Started;
        var changed = new List<string>();
        foreach (var host in environment.Hosts.Where(h => hosts.Contains(h.Name)))
        {
            var ledger = await reader.GetLedgerAsync(host, cancellationToken).ConfigureAwait(false);
            var own = ledger.Releases.Where(r => r.RunId == run.RunId).Select(r => r.Id).DefaultIfEmpty(-1).Max();
            var later = ledger.Releases
                .Where(r => r.RunId != run.RunId)
                .Where(r => own >= 0 ? r.Id > own : r.StartedAt is { } at && at.ToDateTimeOffset() > ended)
                .OrderByDescending(r => r.Id)
                .FirstOrDefault();
            if (later is not null)
            {
                var by = later.RunId.Length > 0 ? $"run {later.RunId}" : "a caller without a run";
                changed.Add($"{host.Name} ({later.Kind} of {PlanText.Short(later.Commit)} by {by} at {PlanText.Time(later.StartedAt!.ToDateTimeOffset())}, {later.Result.ToString().ToLowerInvariant()})");
            }
        }

        if (changed.Count > 0)
        {
            throw FleetException.BadInput(
                $"run {run.RunId} is stale: since it started, {string.Join("; ", changed)}. Its journaled plan no longer matches what the hosts run; nothing was changed.",
                $"Plan again against what runs now: {PlanAgain(run.Plan)} (teafleet status {run.Environment} shows what runs).");
        }
    }

    private static string PlanAgain(Plan plan)
    {
        var services = plan.Services.Count > 0 ? $" --services {string.Join(",", plan.Services)}" : "";
        var target = plan.TargetTags.FirstOrDefault() ?? PlanText.Short(plan.TargetCommit);
        return plan.Kind switch
        {
            PlanKind.Rollback => $"teafleet plan rollback {plan.Environment} --to {target}{(plan.Type == RollbackType.FullSystem ? " --type 3" : "")}{services}",
            PlanKind.Deploy => $"teafleet deploy {plan.Environment} {target}{services}",
            _ => $"the {plan.Kind.Word()} command that started it, again",
        };
    }
}
