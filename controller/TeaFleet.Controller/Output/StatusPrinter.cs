using Spectre.Console;
using TeaFleet.Controller.Agents;
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
                    services = r.Services.Select(s => new
                    {
                        name = s.Name,
                        release = s.Release,
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
        console.MarkupLine($"[bold]{CommandOutput.Esc(r.Host.Name)}[/] ({CommandOutput.Esc(r.Host.Environment)}, {CommandOutput.Esc(r.Host.Address.ToString())}) [green]reachable[/], agent {CommandOutput.Esc(info.AgentVersion)}, {docker}, {lockText}");
        if (r.Lease is { Held: true } lease)
        {
            console.MarkupLine($"  [yellow]{CommandOutput.Esc(LeaseText.Held(lease))}[/]");
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("Service").AddColumn("Release").AddColumn("State").AddColumn("Health").AddColumn("Container");
        foreach (var s in r.Services)
        {
            var stateColor = s.State == "running" ? "green" : "red";
            var healthColor = s.Health is "healthy" or "none" ? "green" : s.Health == "starting" ? "yellow" : "red";
            table.AddRow(
                CommandOutput.Esc(s.Name),
                s.Release.Length > 0 ? GitRefs.Short(s.Release) : "-",
                $"[{stateColor}]{CommandOutput.Esc(s.State)}[/]" + (s.NotInRelease ? " [yellow](not in this release)[/]" : ""),
                $"[{healthColor}]{CommandOutput.Esc(s.Health)}[/]",
                s.ContainerId.Length > 12 ? s.ContainerId[..12] : s.ContainerId);
        }

        console.Write(table);
    }
}
