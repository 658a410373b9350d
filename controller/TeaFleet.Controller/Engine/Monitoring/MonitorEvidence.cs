using System.Globalization;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>What a watch saw so far, and its first failure; <see cref="MonitorWatch"/> feeds it, the journal keeps its <see cref="Data"/>.</summary>
public sealed class MonitorEvidence
{
    private readonly MonitorConfig _config;
    private readonly Dictionary<Uri, string> _agentUrls = [];
    private readonly Dictionary<Uri, int> _inRow = [];
    private readonly Dictionary<Uri, string> _lastAnswer = [];
    private readonly Dictionary<string, Dictionary<string, ServiceStatus>> _baseline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _silent = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, LogErrors> _errors = new(StringComparer.Ordinal);
    private readonly List<string> _restarts = [];
    private (double Cpu, string Where)? _cpu;
    private (double Share, string Text)? _memory;
    private bool? _memoryNormal;
    private int _probes;
    private int _failedProbes;

    public MonitorEvidence(MonitorConfig config, IReadOnlyList<HostConfig> hosts, IReadOnlyList<Uri> urls)
    {
        _config = config;
        foreach (var host in hosts)
        {
            if (config.AgentHealthUrl(host) is { } url)
            {
                _agentUrls[url] = host.Name;
            }
        }

        Targets = [.. urls.Distinct(), .. _agentUrls.Keys];
    }

    /// <summary>What each round probes: the health URLs, then each agent's /healthz.</summary>
    public IReadOnlyList<Uri> Targets { get; }

    /// <summary>Whether an agent's /healthz failed a probe (the checklist's "external monitors" is then not done).</summary>
    public bool AgentHealthFailed { get; private set; }

    /// <summary>The first reason the watch failed, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The last error lines seen (the failure's evidence).</summary>
    public IReadOnlyList<string> LastErrors => _errors.Values.SelectMany(e => e.Last.Select(l => $"{e.Host}/{e.Service}: {l}")).TakeLast(6).ToList();

    /// <summary>Records one probe's answer; returns a line to report for a failed probe.</summary>
    public string? Probe(HealthAnswer answer)
    {
        _probes++;
        _lastAnswer[answer.Url] = answer.Text;
        if (answer.Ok)
        {
            _inRow[answer.Url] = 0;
            return null;
        }

        _failedProbes++;
        var inRow = _inRow[answer.Url] = _inRow.GetValueOrDefault(answer.Url) + 1;
        if (_agentUrls.TryGetValue(answer.Url, out var host))
        {
            // What an uptime monitor would see: evidence for the checklist, not the app's verdict (an agent
            // reached through a tunnel has no /healthz at its address; the app's own checks decide the watch).
            AgentHealthFailed = true;
            return inRow == 1 ? $"the agent's /healthz on {host} ({answer.Url}) -> {answer.Text}: an uptime monitor would alert (not the app's verdict; 'monitor: agent_health_port' sets the port, 0 turns it off)" : null;
        }

        var what = answer.Url.ToString();
        if (inRow >= _config.HealthFailures)
        {
            Fail($"{what} failed {inRow} probes in a row: {answer.Text}");
            return null;
        }

        return $"blip: {what} -> {answer.Text} (fails the watch after {_config.HealthFailures} in a row)";
    }

    /// <summary>The services at the start: what runs then is what must keep running.</summary>
    public void Baseline(HostConfig host, IReadOnlyList<ServiceStatus>? services) =>
        _baseline[host.Name] = (services ?? []).Where(s => s.State == "running").ToDictionary(s => s.Name, s => s.Clone(), StringComparer.Ordinal);

    /// <summary>The services that ran at the start (whose logs are read).</summary>
    public IReadOnlyList<string> Watched(HostConfig host) => _baseline.TryGetValue(host.Name, out var b) ? [.. b.Keys.Order(StringComparer.Ordinal)] : [];

    /// <summary>One read of a host's services: a service that ran at the start and stopped, or restarted, fails the watch.</summary>
    public void Services(HostConfig host, IReadOnlyList<ServiceStatus>? services)
    {
        if (services is null)
        {
            var silent = _silent[host.Name] = _silent.GetValueOrDefault(host.Name) + 1;
            if (silent >= _config.HealthFailures)
            {
                Fail($"the agent on {host.Name} did not answer {silent} reads in a row");
            }

            return;
        }

        _silent[host.Name] = 0;
        var now = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var (name, before) in _baseline.GetValueOrDefault(host.Name) ?? [])
        {
            if (!now.TryGetValue(name, out var after) || after.State != "running")
            {
                Restart($"{host.Name}/{name} is {after?.State ?? "gone"} (it ran when the watch began)");
            }
            else if (after.ContainerId != before.ContainerId)
            {
                Restart($"{host.Name}/{name} got a new container during the watch");
            }
            else if (after.RestartCount > before.RestartCount)
            {
                Restart($"{host.Name}/{name} restarted {after.RestartCount - before.RestartCount} time{(after.RestartCount - before.RestartCount == 1 ? "" : "s")} (a crash loop?)");
            }
        }
    }

    /// <summary>A service's error lines since the watch began (each read replaces the last: it counts from the start).</summary>
    public void Logs(HostConfig host, string service, LogErrors errors)
    {
        _errors[$"{host.Name}/{service}"] = errors;
        var onHost = _errors.Values.Where(e => e.Host == host.Name && e.Errors > 0).ToList();
        var total = onHost.Sum(e => e.Errors);
        if (total > _config.ErrorLines)
        {
            Fail($"error spike on {host.Name}: {total} error lines since the watch began (more than {_config.ErrorLines}): {string.Join(", ", onHost.Select(e => $"{e.Service} {e.Errors}"))}");
        }
    }

    /// <summary>One stats read of a host: the busiest container and the one nearest its memory limit are kept.</summary>
    public void Stats(HostConfig host, IReadOnlyList<ServiceStats> stats)
    {
        foreach (var s in stats)
        {
            if (_cpu is null || s.CpuPercent > _cpu.Value.Cpu)
            {
                _cpu = (s.CpuPercent, $"{s.CpuPercent.ToString("0.#", CultureInfo.InvariantCulture)}% CPU: {s.Name} on {host.Name}");
            }

            if (s.MemoryLimitBytes <= 0)
            {
                continue;
            }

            var share = 100.0 * s.MemoryBytes / s.MemoryLimitBytes;
            if (_memory is null || share > _memory.Value.Share)
            {
                _memory = (share, $"{share.ToString("0.#", CultureInfo.InvariantCulture)}% of its limit ({Mib(s.MemoryBytes)} of {Mib(s.MemoryLimitBytes)}): {s.Name} on {host.Name}");
            }

            _memoryNormal = (_memoryNormal ?? true) && share <= _config.MemoryPercent;
        }
    }

    /// <summary>"12 rounds, 48 probes (1 failed), 0 error lines, no restarts".</summary>
    public string Summary(int rounds)
    {
        var errors = _errors.Values.Sum(e => e.Errors);
        return $"{rounds} round{(rounds == 1 ? "" : "s")}, {_probes} probes ({_failedProbes} failed), {errors} error line{(errors == 1 ? "" : "s")}, " +
               (_restarts.Count == 0 ? "no restarts" : string.Join("; ", _restarts));
    }

    /// <summary>The step's result data (<see cref="MonitorResultKeys"/>).</summary>
    public IReadOnlyDictionary<string, string> Data(int rounds, TimeSpan elapsed) => new Dictionary<string, string>
    {
        [MonitorResultKeys.Seconds] = ((int)elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        [MonitorResultKeys.Rounds] = rounds.ToString(CultureInfo.InvariantCulture),
        [MonitorResultKeys.Probes] = _probes.ToString(CultureInfo.InvariantCulture),
        [MonitorResultKeys.FailedProbes] = _failedProbes.ToString(CultureInfo.InvariantCulture),
        [MonitorResultKeys.AgentHealth] = string.Join(", ", _agentUrls.Select(a => $"{a.Value} {_lastAnswer.GetValueOrDefault(a.Key, "not probed")}")),
        [MonitorResultKeys.AgentHealthFailed] = AgentHealthFailed ? "true" : "false",
        [MonitorResultKeys.ErrorLines] = _errors.Values.Sum(e => e.Errors).ToString(CultureInfo.InvariantCulture),
        [MonitorResultKeys.ErrorsByService] = string.Join(", ", _errors.Where(e => e.Value.Errors > 0).Select(e => $"{e.Key} {e.Value.Errors}")),
        [MonitorResultKeys.ErrorLimit] = _config.ErrorLines.ToString(CultureInfo.InvariantCulture),
        [MonitorResultKeys.Restarts] = string.Join("; ", _restarts),
        [MonitorResultKeys.CpuMax] = _cpu?.Where ?? "",
        [MonitorResultKeys.MemoryMax] = _memory?.Text ?? "",
        [MonitorResultKeys.ResourcesNormal] = _memoryNormal is { } normal ? (normal ? "true" : "false") : "",
    };

    private void Restart(string what)
    {
        if (!_restarts.Contains(what, StringComparer.Ordinal))
        {
            _restarts.Add(what);
        }

        Fail(what);
    }

    private void Fail(string reason) => Failure ??= reason;

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0} MiB");
}
