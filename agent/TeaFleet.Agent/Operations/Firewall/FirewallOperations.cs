using System.Globalization;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Firewall;

/// <summary>
/// The host's public ports in ufw: status (a read), block and allow (one operation each, under the host
/// lock). Block denies exactly the configured ports with `ufw deny PORT/PROTO`, which updates the plain
/// rule for that port in place where there is one ("Rule updated"); so the rule is recorded first
/// (state/firewall.json) and Allow puts it back as it was, or deletes TeaFleet's deny where there was
/// none. Every other rule is left alone; ufw is never enabled, disabled or reset from here.
/// </summary>
public sealed class FirewallOperations(
    OperationManager operations,
    Ufw ufw,
    FirewallBlockFile blocks,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public const string BlockKind = OperationKinds.FirewallBlock;
    public const string AllowKind = OperationKinds.FirewallAllow;

    private FirewallOptions Options => options.Value.Firewall;

    private string HostName => options.Value.HostName;

    /// <summary>ufw's state, the public ports (and any port still blocked that the configuration no longer lists), the rules.</summary>
    public async Task<FirewallStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var recorded = blocks.Load();
        UfwStatus? status = null;
        var message = "";
        try
        {
            status = await ufw.StatusAsync(cancellationToken);
            if (!status.Active)
            {
                message = Inactive();
            }
        }
        catch (AgentException ex) when (ex.Kind == FailureKind.Precondition)
        {
            message = ex.Message;
        }

        var ports = Options.PublicPorts.Concat(recorded.Select(b => b.Port)).Distinct().Select(port =>
        {
            var block = recorded.FirstOrDefault(b => b.Port == port);
            var protocol = block?.Protocol ?? Options.Protocol;
            return new FirewallPortStatus(port, protocol, block, status?.Plain(port, protocol, v6: false)?.Action ?? "");
        }).ToList();
        return new FirewallStatus(status is not null, status?.Active ?? false, message, ports, status?.Lines ?? []);
    }

    /// <param name="keepOpenFor">The caller's address to keep the ports open to (the controller's checks); null: none.</param>
    public async Task<OperationRecord> BlockAsync(OperationHeader header, IReadOnlyList<int> requested, string caller, CancellationToken cancellationToken, System.Net.IPAddress? keepOpenFor = null)
    {
        if (operations.TryAttach(header, BlockKind) is { } existing)
        {
            return existing;
        }

        var ports = Select(requested);
        await RequireActiveAsync(cancellationToken);
        return operations.Start(header, BlockKind, Summary(ports), caller, async context =>
        {
            var ct = context.CancellationToken;
            var status = await ReadStepAsync(context);
            foreach (var port in ports)
            {
                var block = blocks.Get(port);
                var rule = $"{port}/{block?.Protocol ?? Options.Protocol}";
                var before = block is not null ? block.DescribeBefore() : Describe(status, port);
                await context.StepAsync($"deny {rule}", $"deny {rule} (was: {before})", () => DenyAsync(context, status, port, block, KeepOpenAddress(keepOpenFor), ct));
            }

            return new Dictionary<string, string> { [OperationResultKeys.Ports] = Join(ports) };
        });
    }

    public async Task<OperationRecord> AllowAsync(OperationHeader header, IReadOnlyList<int> requested, string caller, CancellationToken cancellationToken)
    {
        if (operations.TryAttach(header, AllowKind) is { } existing)
        {
            return existing;
        }

        var ports = Select(requested);
        await RequireActiveAsync(cancellationToken);
        return operations.Start(header, AllowKind, Summary(ports), caller, async context =>
        {
            var ct = context.CancellationToken;
            await ReadStepAsync(context);
            var undone = new List<int>();
            var untouched = new List<int>();
            foreach (var port in ports)
            {
                var block = blocks.Get(port);
                if (block is null)
                {
                    var rule = $"{port}/{Options.Protocol}";
                    await context.StepAsync($"allow {rule}", $"allow {rule}", () => Task.FromResult(
                        $"nothing to undo: TeaFleet did not block {rule} on {HostName}; its rules are left as they are"));
                    untouched.Add(port);
                    continue;
                }

                var description = block.Before switch
                {
                    null => $"allow {block.Rule} (delete TeaFleet's deny rule; there was no rule before)",
                    { WasDeny: true } => $"allow {block.Rule} (was: {block.DescribeBefore()} before TeaFleet's block: left as it is)",
                    var b => $"allow {block.Rule} (put back: ufw {string.Join(' ', b.Command)})",
                };
                await context.StepAsync($"allow {block.Rule}", description, () => UndoAsync(block, ct));
                undone.Add(port);
            }

            return new Dictionary<string, string>
            {
                [OperationResultKeys.Ports] = Join(undone),
                [OperationResultKeys.Untouched] = Join(untouched),
            };
        });
    }

    /// <summary>
    /// The address a block keeps the ports open to, as ufw takes it: IPv4 only (an IPv4-mapped IPv6
    /// address counts); none for a loopback caller (ufw always lets loopback in) or an IPv6 one.
    /// </summary>
    private static string? KeepOpenAddress(System.Net.IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(address) ? address.ToString() : null;
    }

    private async Task<string> DenyAsync(OperationContext context, UfwStatus status, int port, FirewallBlock? block, string? keepOpenFor, CancellationToken ct)
    {
        if (block is not null)
        {
            // Blocked before: the first record (the rule before TeaFleet) stays; the deny is put back if someone removed it.
            var now = status.Plain(port, block.Protocol, v6: false);
            if (now is not null && now.Action.StartsWith("DENY", StringComparison.Ordinal))
            {
                return $"already blocked by operation {block.OperationId} at {block.BlockedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; nothing changed";
            }

            var again = await ufw.RunAsync(["deny", block.Rule], ct);
            return $"blocked by operation {block.OperationId} before, but ufw had {now?.Action ?? "no rule"}: denied again ({Output(again)})";
        }

        var protocol = Options.Protocol;
        var rule = $"{port}/{protocol}";
        var v4 = status.Plain(port, protocol, v6: false);
        var v6 = status.Plain(port, protocol, v6: true);
        FirewallRuleBefore? before = null;
        if (v4 is not null || v6 is not null)
        {
            var command = await ufw.AddedPlainRuleAsync(port, protocol, ct)
                ?? [(v4 ?? v6)!.Action.Split(' ')[0].ToLowerInvariant(), rule];
            before = new FirewallRuleBefore { Action = v4?.Action ?? "", V6Action = v6?.Action ?? "", Command = command };
        }

        // Recorded before ufw changes anything: a crash between the two leaves a record Allow can undo
        // (deleting a deny that is not there is harmless), never a deny whose original is lost.
        var record = new FirewallBlock { Port = port, Protocol = protocol, OperationId = context.OperationId, BlockedAt = time.GetUtcNow(), Before = before, KeptOpenFor = keepOpenFor };
        blocks.Put(record);

        // An existing plain rule is updated where it stands; a new deny goes first, so that no other rule
        // for the port (an operator's "allow 80", "allow from X to any port 80") lets traffic in before it.
        // ufw numbers IPv4 rules first: inserting at 1 needs an IPv4 rule there.
        var insertFirst = v4 is null && v6 is null && status.Rules.Count > 0 && !status.Rules[0].V6;
        var output = await ufw.RunAsync(insertFirst ? ["insert", "1", "deny", rule] : ["deny", rule], ct);
        var summary = Output(output);
        if (record.KeptOpenFor is { } address)
        {
            // First of all rules: the caller (the controller) still reaches the port, its users do not.
            summary += $"; open to {address} only: {Output(await ufw.RunAsync(["insert", "1", .. record.KeepOpenRule], ct))}";
        }

        if (before is { WasDeny: true })
        {
            summary += "; the port was already denied by a rule of its own, which Allow will leave as it is";
        }

        if (v4 is not null && status.Rules.Where(r => !r.V6 && r.Number < v4.Number && r.Lets && r.Mentions(port)).ToList() is { Count: > 0 } earlier)
        {
            summary += "; note: " + string.Join(", ", earlier.Select(r => $"rule [{r.Number}] {r.To} {r.Action} {r.From}")) +
                $" comes before it and still lets {port} in";
        }

        return summary;
    }

    private async Task<string> UndoAsync(FirewallBlock block, CancellationToken ct)
    {
        var kept = "";
        if (block.KeptOpenFor is { } address)
        {
            kept = $"; the rule for {address} deleted: {Output(await ufw.RunAsync(["delete", .. block.KeepOpenRule], ct))}";
        }

        string summary;
        if (block.Before is null)
        {
            var output = await ufw.RunAsync(["delete", "deny", block.Rule], ct);
            summary = Output(output);
        }
        else if (block.Before.WasDeny)
        {
            summary = $"{block.Rule} was denied before TeaFleet blocked it; nothing changed";
        }
        else
        {
            summary = Output(await ufw.RunAsync(block.Before.Command, ct));
            if (block.Before.V6Action != block.Before.Action)
            {
                summary += $"; before the block IPv6 had {(block.Before.V6Action.Length > 0 ? block.Before.V6Action : "no rule")} for {block.Rule}: check `ufw status`";
            }
        }

        blocks.Remove(block.Port);
        return summary + kept;
    }

    private async Task<UfwStatus> ReadStepAsync(OperationContext context) =>
        await context.StepAsync("read rules", "ufw status numbered", async () =>
        {
            var status = await ufw.StatusAsync(context.CancellationToken);
            if (!status.Active)
            {
                throw AgentException.Precondition(Inactive());
            }

            return (status, $"ufw active, {status.Rules.Count} rule(s)");
        });

    private async Task RequireActiveAsync(CancellationToken cancellationToken)
    {
        if (!(await ufw.StatusAsync(cancellationToken)).Active)
        {
            throw AgentException.Precondition(Inactive());
        }
    }

    /// <summary>The requested ports, each one of the configured public ports; none means all of them.</summary>
    private IReadOnlyList<int> Select(IReadOnlyList<int> requested)
    {
        var configured = Options.PublicPorts;
        if (requested.Count == 0)
        {
            return configured;
        }

        if (requested.Where(p => !configured.Contains(p)).ToList() is { Count: > 0 } others)
        {
            throw AgentException.Invalid(
                $"port(s) {Join(others)} are not public ports of {HostName}; TeaFleet blocks and allows only Agent:Firewall:Ports ({Join(configured)})");
        }

        return [.. requested.Distinct()];
    }

    private string Inactive() =>
        $"ufw is inactive on {HostName}: enable it (`ufw enable`, after allowing SSH and the agent's port) so blocking means something; TeaFleet never enables or disables ufw. Nothing was changed";

    private string Describe(UfwStatus status, int port) => new FirewallRuleBefore
    {
        Action = status.Plain(port, Options.Protocol, v6: false)?.Action ?? "",
        V6Action = status.Plain(port, Options.Protocol, v6: true)?.Action ?? "",
    }.Describe();

    private string Summary(IReadOnlyList<int> ports) => string.Join(", ", ports.Select(p => $"{p}/{Options.Protocol}"));

    private static string Output(IReadOnlyList<string> lines) => string.Join("; ", lines.Where(l => l.Trim().Length > 0).Select(l => l.Trim()));

    private static string Join(IEnumerable<int> ports) => string.Join(",", ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
