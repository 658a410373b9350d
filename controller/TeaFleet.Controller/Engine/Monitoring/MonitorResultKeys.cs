namespace TeaFleet.Controller.Engine;

/// <summary>The result data of a monitor step, as journaled (the report's checklist reads its evidence from here).</summary>
public static class MonitorResultKeys
{
    /// <summary>Seconds watched.</summary>
    public const string Seconds = "watched_s";

    /// <summary>Probe rounds.</summary>
    public const string Rounds = "rounds";

    /// <summary>Probes sent (health URLs and agents' /healthz, all rounds).</summary>
    public const string Probes = "probes";

    /// <summary>Probes that failed (blips and failures).</summary>
    public const string FailedProbes = "failed_probes";

    /// <summary>Each agent's /healthz last answer: "prod-1 HTTP 200, prod-2 HTTP 200"; "" when not probed.</summary>
    public const string AgentHealth = "agent_healthz";

    /// <summary>"true" when an agent's /healthz failed a probe during the watch (it does not fail the watch).</summary>
    public const string AgentHealthFailed = "agent_healthz_failed";

    /// <summary>Error lines logged since the watch began, all services of all hosts.</summary>
    public const string ErrorLines = "error_lines";

    /// <summary>Error lines per service: "prod-1/backend 3, prod-2/worker 1"; "" for none.</summary>
    public const string ErrorsByService = "errors_by_service";

    /// <summary>The error-line limit per host that counts as a spike.</summary>
    public const string ErrorLimit = "error_limit";

    /// <summary>Restarts and stops seen: "prod-1/backend restarted 2 times"; "" for none.</summary>
    public const string Restarts = "restarts";

    /// <summary>The busiest container: "12.5% CPU: backend on prod-1"; "" when not read.</summary>
    public const string CpuMax = "cpu_max";

    /// <summary>The container nearest its memory limit: "31% of its limit (310 MiB of 1000 MiB): db on prod-1"; "" when not read.</summary>
    public const string MemoryMax = "memory_max";

    /// <summary>"true" when every container stayed under the inventory's memory share, "false" when one did not, "" when not read.</summary>
    public const string ResourcesNormal = "resources_normal";
}
