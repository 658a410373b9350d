using System.Net;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Maintenance;

/// <summary>
/// The app's maintenance page: status (a read), enable and disable (one operation each, under the host
/// lock). Nothing is run: files are written into the directory the app's nginx checks on every request
/// (<see cref="MaintenanceDirectory"/>), the flag last on enable and first on disable, so the page is
/// never on without its page and passes.
/// </summary>
public sealed class MaintenanceOperations(OperationManager operations, MaintenanceDirectory directory, IOptions<AgentOptions> options, TimeProvider time)
{
    public const string EnableKind = OperationKinds.MaintenanceEnable;
    public const string DisableKind = OperationKinds.MaintenanceDisable;
    public const int MaxReasonLength = 500;

    /// <summary>The addresses that always pass: the agent's own health probe and the containers' health checks come from loopback.</summary>
    public static readonly IReadOnlyList<IPAddress> Loopback = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    private MaintenanceOptions Options => options.Value.Maintenance;

    public const string NotConfiguredMessage =
        "no maintenance page on this host: set Agent:Maintenance:Directory (the host directory the app's nginx mounts read-only, e.g. /var/lib/teafleet/maintenance) and Agent:Maintenance:ProxyService, and include the snippet of docs/agent.md \"Maintenance page\" in the app's nginx";

    public MaintenanceStatus Status()
    {
        if (!Options.Configured)
        {
            return new MaintenanceStatus(false, NotConfiguredMessage, null, [], "", "");
        }

        var flag = directory.ReadFlag();
        var message = flag is null ? "" : File.Exists(directory.PagePath) ? "" : $"{directory.PagePath} is missing: nginx answers 503 without the page";
        return new MaintenanceStatus(true, message, flag, directory.Passes(), Options.Directory, Options.ProxyService);
    }

    /// <param name="keepOpenFor">The caller's address, which keeps reaching the app (the controller's checks); null: only loopback.</param>
    public OperationRecord Enable(OperationHeader header, string reason, string caller, IPAddress? keepOpenFor)
    {
        if (operations.TryAttach(header, EnableKind) is { } existing)
        {
            return existing;
        }

        RequireConfigured();
        reason = reason.Trim();
        if (reason.Length == 0 || reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            throw AgentException.Invalid($"the reason must be one line of 1-{MaxReasonLength} characters (the incident note Status reports); nothing was changed");
        }

        var passes = Loopback.Concat(Normalize(keepOpenFor) is { } a ? [a] : []).Distinct().ToList();
        return operations.Start(header, EnableKind, $"maintenance page on ({reason})", caller, async context =>
        {
            await Task.Yield();
            var before = directory.ReadFlag();
            await context.StepAsync("page", $"write {directory.PagePath}", () => Task.FromResult(WritePage()));
            await context.StepAsync("pass", $"write {directory.PassDirectory}/ for {string.Join(", ", passes)}", () =>
            {
                foreach (var address in passes)
                {
                    directory.AddPass(address);
                }

                return Task.FromResult($"{string.Join(", ", passes)} still reach the app");
            });
            await context.StepAsync("flag", $"write {directory.FlagPath} (nginx answers 503 with the page from the next request on)", () =>
            {
                if (before is not null)
                {
                    return Task.FromResult($"already on since {before.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({before.Reason}); kept as it was");
                }

                directory.WriteFlag(new MaintenanceFlag { Since = time.GetUtcNow(), Reason = reason, OperationId = context.OperationId, By = caller });
                return Task.FromResult("the maintenance page is on");
            });
            return new Dictionary<string, string> { [OperationResultKeys.Changed] = before is null ? "true" : "false" };
        });
    }

    public OperationRecord Disable(OperationHeader header, string caller)
    {
        if (operations.TryAttach(header, DisableKind) is { } existing)
        {
            return existing;
        }

        RequireConfigured();
        return operations.Start(header, DisableKind, "maintenance page off", caller, async context =>
        {
            await Task.Yield();
            var was = directory.ReadFlag();
            await context.StepAsync("flag", $"remove {directory.FlagPath} (nginx serves the app again from the next request on)", () => Task.FromResult(
                directory.RemoveFlag() && was is not null
                    ? $"the maintenance page is off (it was on since {was.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: {was.Reason})"
                    : "nothing to undo: the maintenance page was not on"));
            await context.StepAsync("pass", $"remove {directory.PassDirectory}/*", () =>
                Task.FromResult(directory.RemovePasses() is { Count: > 0 } removed ? $"removed the passes of {string.Join(", ", removed)}" : "no pass files"));
            return new Dictionary<string, string> { [OperationResultKeys.Changed] = was is null ? "false" : "true" };
        });
    }

    private string WritePage()
    {
        if (Options.PageFile.Length > 0)
        {
            directory.WritePage(File.ReadAllText(Options.PageFile));
            return $"the page from {Options.PageFile}";
        }

        directory.WritePage(MaintenanceDirectory.BuiltInPage);
        return "the built-in page (set Agent:Maintenance:PageFile for the app's own)";
    }

    private void RequireConfigured()
    {
        if (!Options.Configured)
        {
            throw AgentException.Precondition(NotConfiguredMessage + "; nothing was changed");
        }
    }

    /// <summary>The address as nginx's $remote_addr spells it: an IPv4-mapped IPv6 address as IPv4, no IPv6 scope.</summary>
    public static IPAddress? Normalize(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
    }
}
