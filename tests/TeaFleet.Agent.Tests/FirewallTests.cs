using Grpc.Core;
using Grpc.Core.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations.Firewall;
using TeaFleet.Agent.State;
using TeaFleet.Agent.V1;
using TeaFleet.Shared;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// Firewall.Block, Allow and Status against real ufw in a namespace of the test's own (UfwSandbox),
/// asserting what an operator checks in `ufw status`. The sandbox starts as a host with default allow
/// incoming and the operator's `allow 22/tcp` and `allow 443/tcp`: 443 shows the "a rule existed" case
/// (ufw updates it in place), 80 the "no rule existed" case.
/// </summary>
public sealed class FirewallTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServerCallContext Call(string method) => TestServerCallContext.Create(
        method, null, DateTime.UtcNow.AddMinutes(1), [], Ct, "127.0.0.1", null, null,
        _ => Task.CompletedTask, () => new WriteOptions(), _ => { });

    private static TestAgent Agent(IReadOnlyList<string> command, string? stateDir = null) =>
        new(stateDir, configure: o => o.Firewall.Command = [.. command]);

    private static FirewallOperations Firewall(TestAgent agent) => new(
        agent.Manager,
        new Ufw(new ProcessRunner(NullLogger<ProcessRunner>.Instance), agent.Options),
        new FirewallBlockFile(agent.Options, NullLogger<FirewallBlockFile>.Instance),
        agent.Options,
        agent.Time);

    private static FirewallService Service(TestAgent agent) => new(Firewall(agent));

    private static Task<List<M.OperationEvent>> BlockAsync(TestAgent agent, string id, params int[] ports) =>
        EventsAsync(Firewall(agent).BlockAsync(new M.OperationHeader(id), ports, "tester", Ct));

    private static Task<List<M.OperationEvent>> AllowAsync(TestAgent agent, string id, params int[] ports) =>
        EventsAsync(Firewall(agent).AllowAsync(new M.OperationHeader(id), ports, "tester", Ct));

    private static async Task<List<M.OperationEvent>> EventsAsync(Task<TeaFleet.Agent.Operations.OperationRecord> start)
    {
        var events = new List<M.OperationEvent>();
        await foreach (var e in (await start).WatchAsync(0, Ct))
        {
            events.Add(e);
        }

        return events;
    }

    private static void Succeeded(List<M.OperationEvent> events)
    {
        var last = events[^1];
        Assert.True(last.Final);
        Assert.True(last.Phase == M.OperationPhase.Succeeded, string.Join("\n", events.Select(e => $"{e.Step} {e.Phase} {e.Message}")));
    }

    [Fact]
    public async Task Block_denies_exactly_the_public_ports_and_keeps_every_other_rule()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        using var agent = Agent(ufw.Command);
        var before = await ufw.RulesAsync(Ct);

        var events = await BlockAsync(agent, "block-1");

        Succeeded(events);
        var after = await ufw.RulesAsync(Ct);
        Assert.Equal(
            [
                "80/tcp DENY Anywhere", "22/tcp ALLOW Anywhere", "443/tcp DENY Anywhere",
                "80/tcp (v6) DENY Anywhere (v6)", "22/tcp (v6) ALLOW Anywhere (v6)", "443/tcp (v6) DENY Anywhere (v6)",
            ],
            after);
        Assert.Equal(before.Where(r => !r.StartsWith("443/", StringComparison.Ordinal)), after.Where(r => !r.StartsWith("443/", StringComparison.Ordinal) && !r.StartsWith("80/", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Step == "deny 80/tcp" && e.Phase == M.OperationPhase.Started && e.Message == "deny 80/tcp (was: no rule)");
        Assert.Contains(events, e => e.Step == "deny 443/tcp" && e.Phase == M.OperationPhase.Started && e.Message == "deny 443/tcp (was: ALLOW IN Anywhere)");
        Assert.Equal("80,443", events[^1].Data[OperationResultKeys.Ports]);
    }

    [Fact]
    public async Task Allow_puts_back_exactly_the_rules_from_before_the_block()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        using var agent = Agent(ufw.Command);
        var before = await ufw.RulesAsync(Ct);
        Succeeded(await BlockAsync(agent, "block-1"));

        var events = await AllowAsync(agent, "allow-1");

        Succeeded(events);
        Assert.Equal(before, await ufw.RulesAsync(Ct));
        Assert.Contains(events, e => e.Step == "allow 80/tcp" && e.Phase == M.OperationPhase.Started && e.Message.Contains("delete TeaFleet's deny rule", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Step == "allow 443/tcp" && e.Phase == M.OperationPhase.Started && e.Message == "allow 443/tcp (put back: ufw allow 443/tcp)");
        Assert.Equal("80,443", events[^1].Data[OperationResultKeys.Ports]);
        Assert.Empty(new FirewallBlockFile(agent.Options, NullLogger<FirewallBlockFile>.Instance).Load());
    }

    [Fact]
    public async Task A_block_that_keeps_the_caller_lets_only_its_address_in_first_and_allow_deletes_that_rule_too()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        using var agent = Agent(ufw.Command);
        var before = await ufw.RulesAsync(Ct);

        // The controller's address as the agent sees it (IPv4-mapped, as Kestrel may report it).
        var events = await EventsAsync(Firewall(agent).BlockAsync(new M.OperationHeader("block-1"), [], "tester", Ct, System.Net.IPAddress.Parse("10.250.0.9").MapToIPv6()));

        Succeeded(events);
        var after = await ufw.RulesAsync(Ct);
        Assert.Equal(["443/tcp ALLOW 10.250.0.9", "80/tcp ALLOW 10.250.0.9", "80/tcp DENY Anywhere", "22/tcp ALLOW Anywhere", "443/tcp DENY Anywhere"], after.Where(r => !r.Contains("(v6)", StringComparison.Ordinal)));
        var status = await Service(agent).Status(new FirewallStatusRequest(), Call("/s"));
        Assert.All(status.Ports, p => Assert.Equal("10.250.0.9", p.KeptOpenFor));

        Succeeded(await AllowAsync(agent, "allow-1"));
        Assert.Equal(before, await ufw.RulesAsync(Ct));
    }

    [Fact]
    public async Task A_loopback_caller_needs_no_rule_of_its_own()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        using var agent = Agent(ufw.Command);

        Succeeded(await EventsAsync(Firewall(agent).BlockAsync(new M.OperationHeader("block-1"), [80], "tester", Ct, System.Net.IPAddress.Loopback)));

        Assert.DoesNotContain(await ufw.RulesAsync(Ct), r => r.Contains("127.0.0.1", StringComparison.Ordinal));
        Succeeded(await AllowAsync(agent, "allow-1", 80));
    }

    [Fact]
    public async Task Allow_by_a_restarted_agent_undoes_the_block_from_the_state_on_disk()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        var before = await ufw.RulesAsync(Ct);
        var first = Agent(ufw.Command);
        Succeeded(await BlockAsync(first, "block-1"));
        var stateFile = await File.ReadAllTextAsync(Path.Combine(first.StateDir, "firewall.json"), Ct);
        Assert.StartsWith("{\"v\":2,\"blocks\":[{\"port\":80,\"protocol\":\"tcp\",\"operation_id\":\"block-1\"", stateFile);
        using var restarted = first.Restart();

        var status = await Service(restarted).Status(new FirewallStatusRequest(), Call("/s"));
        Assert.All(status.Ports, p => Assert.True(p.Blocked));
        Assert.Equal("ALLOW IN Anywhere", status.Ports.Single(p => p.Port == 443).RuleBefore);
        Succeeded(await AllowAsync(restarted, "allow-1"));

        Assert.Equal(before, await ufw.RulesAsync(Ct));
    }

    [Fact]
    public async Task Blocking_twice_keeps_the_first_record_and_allow_restores_the_original()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        using var agent = Agent(ufw.Command);
        var before = await ufw.RulesAsync(Ct);
        Succeeded(await BlockAsync(agent, "block-1"));
        var blocked = await ufw.RulesAsync(Ct);

        var again = await BlockAsync(agent, "block-2");

        Succeeded(again);
        Assert.Equal(blocked, await ufw.RulesAsync(Ct));
        Assert.Contains(again, e => e.Step == "deny 443/tcp" && e.Phase == M.OperationPhase.Succeeded && e.Message.Contains("already blocked by operation block-1", StringComparison.Ordinal));
        Succeeded(await AllowAsync(agent, "allow-1"));
        Assert.Equal(before, await ufw.RulesAsync(Ct));
    }

    [Fact]
    public async Task Allow_of_a_port_TeaFleet_did_not_block_says_nothing_to_undo_and_leaves_the_operators_deny_rule()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        await ufw.UfwAsync(["deny", "80/tcp"], Ct);
        using var agent = Agent(ufw.Command);
        var before = await ufw.RulesAsync(Ct);

        var events = await AllowAsync(agent, "allow-1", 80);

        Succeeded(events);
        Assert.Equal(before, await ufw.RulesAsync(Ct));
        Assert.Contains(events, e => e.Step == "allow 80/tcp" && e.Phase == M.OperationPhase.Succeeded && e.Message.StartsWith("nothing to undo", StringComparison.Ordinal));
        Assert.Equal("80", events[^1].Data[OperationResultKeys.Untouched]);
    }

    [Fact]
    public async Task Allow_puts_back_an_operator_rule_with_its_log_and_comment_where_it_stood()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        await ufw.UfwAsync(["limit", "log", "80/tcp", "comment", "web, rate-limited"], Ct);
        await ufw.UfwAsync(["allow", "8080/tcp"], Ct);
        using var agent = Agent(ufw.Command);
        var before = await ufw.RulesAsync(Ct);
        var added = await ufw.UfwAsync(["show", "added"], Ct);

        Succeeded(await BlockAsync(agent, "block-1", 80));
        Assert.Contains("80/tcp DENY Anywhere", await ufw.RulesAsync(Ct));
        var status = await Service(agent).Status(new FirewallStatusRequest(), Call("/s"));
        var allow = await AllowAsync(agent, "allow-1", 80);

        Succeeded(allow);
        Assert.Contains(allow, e => e.Step == "allow 80/tcp" && e.Phase == M.OperationPhase.Started && e.Message == "allow 80/tcp (put back: ufw limit log 80/tcp comment web, rate-limited)");
        Assert.Equal(before, await ufw.RulesAsync(Ct));
        Assert.Equal(added, await ufw.UfwAsync(["show", "added"], Ct));
        var port80 = status.Ports.Single(p => p.Port == 80);
        Assert.True(status.Available && status.Active && port80.Blocked);
        Assert.Equal(("block-1", "LIMIT IN Anywhere", "DENY IN"), (port80.OperationId, port80.RuleBefore, port80.ActionNow));
        Assert.False(status.Ports.Single(p => p.Port == 443).Blocked);
        Assert.Contains(status.Rules, l => l.Contains("8080/tcp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inactive_ufw_is_FailedPrecondition_and_nothing_changes()
    {
        Assert.SkipUnless(UfwSandbox.Available, "needs root, ufw and nsenter");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        await ufw.UfwAsync(["disable"], Ct);
        var added = await ufw.UfwAsync(["show", "added"], Ct);
        using var agent = Agent(ufw.Command);

        var error = await Assert.ThrowsAsync<AgentException>(() => BlockAsync(agent, "block-1"));

        Assert.Equal(StatusCode.FailedPrecondition, ErrorInterceptor.CodeOf(error.Kind));
        Assert.StartsWith("ufw is inactive on test-1: enable it (`ufw enable`", error.Message);
        Assert.Equal(added, await ufw.UfwAsync(["show", "added"], Ct));
        Assert.Contains("Status: inactive", await ufw.UfwAsync(["status"], Ct));
        Assert.Empty(agent.Manager.List(10));
    }

    [Fact]
    public async Task A_missing_ufw_is_FailedPrecondition_saying_to_install_it_or_set_the_command()
    {
        using var agent = Agent(["/nonexistent/teafleet-test/ufw"]);
        var service = Service(agent);

        var error = await Assert.ThrowsAsync<AgentException>(() => BlockAsync(agent, "block-1"));
        var status = await service.Status(new FirewallStatusRequest(), Call("/s"));

        Assert.Equal(StatusCode.FailedPrecondition, ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("install it (`apt-get install ufw`) or set Agent:Firewall:Command", error.Message);
        Assert.False(status.Available);
        Assert.Contains("Agent:Firewall:Command", status.Message);
        Assert.Equal([80, 443], status.Ports.Select(p => p.Port));
    }

    [Fact]
    public async Task A_port_that_is_not_a_public_port_is_InvalidArgument()
    {
        using var agent = Agent(["/nonexistent/teafleet-test/ufw"]);

        var error = await Assert.ThrowsAsync<AgentException>(() => BlockAsync(agent, "block-1", 80, 22));

        Assert.Equal(StatusCode.InvalidArgument, ErrorInterceptor.CodeOf(error.Kind));
        Assert.Contains("port(s) 22 are not public ports of test-1", error.Message);
        Assert.Contains("Agent:Firewall:Ports (80,443)", error.Message);
    }

    [Fact]
    public async Task A_web_server_on_port_80_stops_answering_after_block_and_answers_after_allow()
    {
        Assert.SkipUnless(UfwSandbox.Available && File.Exists("/usr/bin/busybox") && File.Exists("/usr/bin/curl"), "needs root, ufw, nsenter, busybox and curl");
        await using var ufw = await UfwSandbox.CreateAsync(Ct);
        // An operator's rule for port 80 of any protocol: TeaFleet's deny must come before it to block.
        await ufw.UfwAsync(["allow", "80"], Ct);
        var before = await ufw.RulesAsync(Ct);
        var answers = await ufw.ServeHttpAsync(Ct);
        using var agent = Agent(ufw.Command);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await answers(Ct) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(await answers(Ct), "the web server in the sandbox does not answer before the block");

        Succeeded(await BlockAsync(agent, "block-1", 80));
        Assert.False(await answers(Ct), "port 80 still answers after the block");

        Succeeded(await AllowAsync(agent, "allow-1", 80));
        Assert.True(await answers(Ct), "port 80 does not answer after the allow");
        Assert.Equal(before, await ufw.RulesAsync(Ct));
    }
}
