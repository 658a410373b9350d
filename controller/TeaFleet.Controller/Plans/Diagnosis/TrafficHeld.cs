using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Traffic TeaFleet holds back: a host whose public ports it blocked in ufw, or whose maintenance page is on.
/// Everything can look healthy from the controller (a block and the page both let it through) while users
/// reach nothing: diagnose says so, with the command that lets them back.
/// </summary>
public static class TrafficHeld
{
    /// <summary>One fact per host that holds traffic back.</summary>
    public static IEnumerable<DiagnosisFact> Facts(DiagnosisFacts facts) =>
        facts.Hosts.Where(h => h.Unreachable is null).SelectMany(h => Evidence(h).Select(e => new DiagnosisFact(h.Host, "traffic", e, true)));

    /// <summary>The finding when any host holds traffic back; null when none does.</summary>
    public static Finding? Of(DiagnosisFacts facts)
    {
        var held = facts.Hosts.Where(h => h.Unreachable is null && Evidence(h).Count > 0).ToList();
        if (held.Count == 0)
        {
            return null;
        }

        var why = held.SelectMany(h => Evidence(h).Select(e => $"{h.Host}: {e}")).ToList();
        var blocked = held.Any(h => h.BlockedPorts.Count > 0);
        var page = held.Any(h => h.MaintenanceOn);
        if (blocked && page)
        {
            why.Add($"the page too: teafleet maintenance {facts.Environment} off");
        }

        why.Add("let users back only once the app is right (the other findings, the health URLs)");
        return new Finding("traffic-held", "users do not reach the app: TeaFleet holds its traffic back", Priority.Immediate, "none",
            blocked ? $"teafleet allow {facts.Environment}" : $"teafleet maintenance {facts.Environment} off", why);
    }

    private static List<string> Evidence(HostRead host)
    {
        var list = new List<string>();
        if (host.BlockedPorts.Count > 0)
        {
            list.Add($"public port(s) {string.Join(", ", host.BlockedPorts)} blocked in ufw by TeaFleet");
        }

        if (host.MaintenanceOn)
        {
            list.Add("the maintenance page is on: users get 503 and the page");
        }

        return list;
    }

    /// <summary>
    /// A health URL answered 503 by a host whose maintenance page is on (the URL names that host's address, or
    /// every host shows the page) is the page doing its job, not the app down: kept as answered, marked so.
    /// </summary>
    public static List<HealthAnswer> PageAnswers(Inventory.EnvironmentConfig environment, IReadOnlyList<HostRead> hosts, List<HealthAnswer> answers)
    {
        var paged = hosts.Where(h => h.MaintenanceOn).Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
        if (paged.Count == 0)
        {
            return answers;
        }

        var addresses = environment.Hosts.Where(h => paged.Contains(h.Name)).Select(h => h.Address.Host).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var everyHost = paged.Count == environment.Hosts.Count;
        return answers.Select(a => !a.Ok && a.Text.Contains("503", StringComparison.Ordinal) && (everyHost || addresses.Contains(a.Url.Host))
            ? a with { Ok = true, Text = $"{a.Text} (the maintenance page)" }
            : a).ToList();
    }

    /// <summary>The ports a firewall status says TeaFleet blocked.</summary>
    public static IReadOnlyList<int> Blocked(FirewallStatusResponse? firewall) =>
        firewall?.Ports.Where(p => p.Blocked).Select(p => p.Port).ToList() ?? [];
}
