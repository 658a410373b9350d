using Spectre.Console;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Output;

/// <summary>Prints what <c>status</c> learned per host: a line and a service table, or one <c>host</c> object per host with --json.</summary>
public static class StatusPrinter
{
    public static void Print(CommandOutput output, IReadOnlyList<HostStatus> results)
    {
        foreach (var r in results)
        {
            if (output.IsJson)
            {
                output.Json(new
                {
                    type = "host",
                    host = r.Host.Name,
                    environment = r.Host.Environment,
                    address = r.Host.Address.ToString(),
                    reachable = r.Info is not null,
                    error = r.Error,
                    agent_version = r.Info?.AgentVersion,
                    docker_version = r.Info?.DockerVersion,
                    docker_error = r.Info is { DockerError.Length: > 0 } ? r.Info.DockerError : null,
                    @lock = r.Info?.Lock is { Held: true } l ? new { holder = l.Holder, operation_id = l.OperationId, kind = l.Kind, since = l.Since?.ToDateTimeOffset() } : null,
                    lease = r.Lease is { Held: true } e ? new { environment = e.Environment, run_id = e.RunId, holder = e.Holder, acquired_at = e.AcquiredAt?.ToDateTimeOffset(), expires_at = e.ExpiresAt?.ToDateTimeOffset() } : null,
                    releases = RunningCommits.Of(r.Services),
                    mixed = RunningCommits.Of(r.Services).Count > 1,
                    checkout = r.Checkout.Length > 0 ? r.Checkout : null,
                    checkout_disagrees = CheckoutText.Disagrees(r.Checkout, RunningCommits.Of(r.Services)) is not null,
                    firewall = r.Firewall is { } f ? new
                    {
                        available = f.Available,
                        active = f.Active,
                        message = f.Message.Length > 0 ? f.Message : null,
                        blocked = f.Ports.Where(p => p.Blocked).Select(p => p.Port),
                        ports = f.Ports.Select(p => new { port = p.Port, protocol = p.Protocol, blocked = p.Blocked, operation_id = p.OperationId.Length > 0 ? p.OperationId : null, blocked_at = p.BlockedAt?.ToDateTimeOffset(), rule_before = p.RuleBefore, action_now = p.ActionNow }),
                    } : null,
                    maintenance = r.Maintenance is { Configured: true } m ? new
                    {
                        on = m.On,
                        since = m.Since?.ToDateTimeOffset(),
                        reason = m.Reason.Length > 0 ? m.Reason : null,
                        operation_id = m.OperationId.Length > 0 ? m.OperationId : null,
                        proxy_service = m.ProxyService.Length > 0 ? m.ProxyService : null,
                        passes = m.Passes,
                    } : null,
                    services = r.Services.Select(s => new
                    {
                        name = s.Name,
                        release = s.Release,
                        release_tags = s.ReleaseTags,
                        release_source = s.ReleaseSource,
                        state = s.State,
                        health = s.Health,
                        container_id = s.ContainerId,
                        image = s.Image,
                        started_at = s.StartedAt?.ToDateTimeOffset(),
                        not_in_release = s.NotInRelease,
                    }),
                });
            }
            else
            {
                Render(output, r);
            }
        }
    }

    private static void Render(CommandOutput output, HostStatus r)
    {
        var console = output.Console;
        if (r.Info is null)
        {
            console.MarkupLine($"[bold]{CommandOutput.Esc(r.Host.Name)}[/] ({CommandOutput.Esc(r.Host.Environment)}, {CommandOutput.Esc(r.Host.Address.ToString())}) [red]unreachable[/]: {CommandOutput.Esc(r.Error)}");
            return;
        }

        var info = r.Info;
        var docker = info.DockerVersion.Length > 0 ? $"docker {info.DockerVersion}" : $"[red]docker unavailable: {CommandOutput.Esc(info.DockerError)}[/]";
        var lockText = info.Lock is { Held: true } l
            ? $"[yellow]locked by {CommandOutput.Esc(l.Holder)} ({CommandOutput.Esc(l.Kind)} {CommandOutput.Esc(l.OperationId)}) since {l.Since?.ToDateTimeOffset():u}[/]"
            : "unlocked";
        var commits = RunningCommits.Of(r.Services);
        var runs = commits.Count switch
        {
            0 => "",
            1 => $", runs {CommandOutput.Esc(Release(commits[0], r.Services))}",
            _ => $", [yellow]mixed: {CommandOutput.Esc(string.Join(", ", commits.Select(c => Release(c, r.Services))))}[/]",
        };
        console.MarkupLine($"[bold]{CommandOutput.Esc(r.Host.Name)}[/] ({CommandOutput.Esc(r.Host.Environment)}, {CommandOutput.Esc(r.Host.Address.ToString())}) [green]reachable[/], agent {CommandOutput.Esc(info.AgentVersion)}, {docker}, {lockText}{runs}");
        if (CheckoutText.Disagrees(r.Checkout, commits) is { } disagrees)
        {
            console.MarkupLine($"  [yellow]{CommandOutput.Esc(disagrees)}[/]; the next deploy or rollback switches both (teafleet rollback {CommandOutput.Esc(r.Host.Environment)} --to REF).");
        }

        if (r.Lease is { Held: true } lease)
        {
            console.MarkupLine($"  [yellow]{CommandOutput.Esc(LeaseText.Held(lease))}[/]");
        }

        if (FirewallText.Line(r.Firewall, r.Host.Environment) is { } firewall)
        {
            console.MarkupLine($"  {firewall}");
        }

        if (MaintenanceText.Line(r.Maintenance, r.Host.Environment) is { } maintenance)
        {
            console.MarkupLine($"  {maintenance}");
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("Service").AddColumn("Release").AddColumn("State").AddColumn("Health").AddColumn("Container");
        foreach (var s in r.Services)
        {
            var stateColor = s.State == "running" ? "green" : "red";
            var healthColor = s.Health is "healthy" or "none" ? "green" : s.Health == "starting" ? "yellow" : "red";
            table.AddRow(
                CommandOutput.Esc(s.Name),
                CommandOutput.Esc(Release(s.Release, r.Services)),
                $"[{stateColor}]{CommandOutput.Esc(s.State)}[/]" + (s.NotInRelease ? " [yellow](not in this release)[/]" : ""),
                $"[{healthColor}]{CommandOutput.Esc(s.Health)}[/]",
                s.ContainerId.Length > 12 ? s.ContainerId[..12] : s.ContainerId);
        }

        console.Write(table);
    }

    /// <summary>"1.1.0 (5e9d2b7)" when the checkout has tags at the commit, "5e9d2b7" when not, "-" when unknown.</summary>
    private static string Release(string commit, IReadOnlyList<ServiceStatus> services)
    {
        if (commit.Length == 0)
        {
            return "-";
        }

        var tags = services.FirstOrDefault(s => s.Release == commit && s.ReleaseTags.Count > 0)?.ReleaseTags;
        return tags is null ? GitRefs.Short(commit) : $"{string.Join(", ", tags)} ({GitRefs.Short(commit)})";
    }
}
