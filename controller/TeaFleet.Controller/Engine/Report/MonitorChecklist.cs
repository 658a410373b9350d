namespace TeaFleet.Controller.Engine;

/// <summary>
/// The checklist items a run's watch (its environment-wide <see cref="Plans.MonitorStep"/>) verifies, with the
/// watch's own evidence: error lines in the logs, the external monitors' view (the agents' /healthz and the
/// health URLs), resource use from Docker's stats. No watch, or one that did not end: not done.
/// </summary>
public static class MonitorChecklist
{
    public static ChecklistItem Errors(StepRecord? watch)
    {
        const string item = "No error spikes in logs";
        if (Data(watch) is not { } data)
        {
            return new(item, ChecklistState.NotDone, NotWatched(watch));
        }

        var lines = data.GetValueOrDefault(MonitorResultKeys.ErrorLines, "");
        var where = data.GetValueOrDefault(MonitorResultKeys.ErrorsByService, "");
        var evidence = $"{lines} error line{(lines == "1" ? "" : "s")} in {Watched(data)} of every service's log" + (where.Length > 0 ? $" ({where})" : "") +
                       $"; a spike is more than {data.GetValueOrDefault(MonitorResultKeys.ErrorLimit, "?")} per host";
        return Held(watch!, item, evidence);
    }

    public static ChecklistItem ExternalMonitors(StepRecord? watch, bool healthChecked)
    {
        const string item = "External monitors showing OK";
        if (Data(watch) is not { } data)
        {
            return new(item, ChecklistState.NotDone, NotWatched(watch));
        }

        var agents = data.GetValueOrDefault(MonitorResultKeys.AgentHealth, "");
        var evidence = $"{data.GetValueOrDefault(MonitorResultKeys.Probes, "0")} probes in {Watched(data)} ({data.GetValueOrDefault(MonitorResultKeys.FailedProbes, "0")} failed) of the health URLs" +
                       (agents.Length > 0 ? $" and the agents' /healthz, as an uptime monitor sees them (last: {agents})" : "") +
                       (healthChecked ? "" : "; no health URL passed a check before the watch");
        return data.GetValueOrDefault(MonitorResultKeys.AgentHealthFailed, "") == "true"
            ? new(item, ChecklistState.NotDone, "an agent's /healthz failed during the watch (an uptime monitor would have alerted): " + evidence)
            : Held(watch!, item, evidence);
    }

    public static ChecklistItem Resources(StepRecord? watch)
    {
        const string item = "Resource usage normal";
        if (Data(watch) is not { } data)
        {
            return new(item, ChecklistState.NotDone, NotWatched(watch));
        }

        var cpu = data.GetValueOrDefault(MonitorResultKeys.CpuMax, "");
        var memory = data.GetValueOrDefault(MonitorResultKeys.MemoryMax, "");
        if (cpu.Length == 0 && memory.Length == 0)
        {
            return new(item, ChecklistState.NotDone, "the agents gave no stats (an agent older than Services.Stats?): check 'docker stats --no-stream' on each host");
        }

        var evidence = $"Docker's stats at the start and end of the watch: busiest {cpu}; nearest its memory limit {memory}";
        return data.GetValueOrDefault(MonitorResultKeys.ResourcesNormal, "") == "true"
            ? new(item, ChecklistState.Verified, evidence)
            : new(item, ChecklistState.NotDone, evidence + " — above the inventory's 'monitor: memory_percent'");
    }

    private static ChecklistItem Held(StepRecord watch, string item, string evidence) =>
        watch.Result == StepResult.Succeeded ? new(item, ChecklistState.Verified, "verified by the watch after the rollback: " + evidence) : new(item, ChecklistState.NotDone, "the watch failed: " + evidence);

    private static IReadOnlyDictionary<string, string>? Data(StepRecord? watch) =>
        watch is { HasEnded: true, Data: { Count: > 0 } data } ? data : null;

    private static string NotWatched(StepRecord? watch) =>
        watch is null ? "no watch after the run (the plan had none, or it did not run)" : "the watch did not end";

    private static string Watched(IReadOnlyDictionary<string, string> data) => $"{data.GetValueOrDefault(MonitorResultKeys.Seconds, "?")} s";
}
