using System.Net;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using TeaFleet.Agent.Grpc;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Operations.Maintenance;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Tests;

/// <summary>The Maintenance capability against real files, read back as the app's nginx and an operator would (ls, cat).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MaintenanceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("teafleet-maintenance-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Dir => Path.Combine(_root, "maintenance");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private TestAgent Agent() => new(Path.Combine(_root, "state"), configure: o => o.Maintenance = new MaintenanceOptions { Directory = Dir, ProxyService = "frontend" });

    private static MaintenanceOperations Maintenance(TestAgent agent) =>
        new(agent.Manager, new MaintenanceDirectory(agent.Options, NullLogger<MaintenanceDirectory>.Instance), agent.Options, agent.Time);

    internal static async Task<List<M.OperationEvent>> DrainAsync(OperationRecord record)
    {
        var events = new List<M.OperationEvent>();
        await foreach (var evt in record.WatchAsync(0, Ct))
        {
            events.Add(evt);
        }

        return events;
    }

    [Fact]
    public async Task Enable_writes_the_page_the_passes_and_the_flag_that_Status_reports_and_Disable_removes_them()
    {
        using var agent = Agent();
        var maintenance = Maintenance(agent);
        var before = DateTimeOffset.UtcNow;

        var events = await DrainAsync(maintenance.Enable(new M.OperationHeader("maint-on-1"), "Type 2 rollback of v5", "operator", IPAddress.Parse("::ffff:10.77.0.1")));

        Assert.Equal(M.OperationState.Succeeded, agent.Manager.Get("maint-on-1").Info.State);
        Assert.Contains(events, e => e.Step == "flag" && e.Phase == M.OperationPhase.Succeeded && e.Message == "the maintenance page is on");
        Assert.True(File.Exists(Path.Combine(Dir, "on")));
        Assert.Contains("Down for maintenance", await File.ReadAllTextAsync(Path.Combine(Dir, "page.html"), Ct));
        Assert.Equal(["10.77.0.1", "127.0.0.1", "::1"], Directory.GetFiles(Path.Combine(Dir, "pass")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var flag = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Dir, "on"), Ct)))
        {
            Assert.Equal("Type 2 rollback of v5", flag.RootElement.GetProperty("reason").GetString());
            Assert.Equal("maint-on-1", flag.RootElement.GetProperty("operation_id").GetString());
        }

        // nginx's worker (not the agent's user) reads them: world-readable whatever the umask, no temp file left.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(Dir, "on")));
        Assert.True(File.GetUnixFileMode(Path.Combine(Dir, "pass")).HasFlag(UnixFileMode.OtherExecute));
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp", SearchOption.AllDirectories));

        var status = MaintenanceWire.ToWire(maintenance.Status());
        Assert.True(status.Configured);
        Assert.True(status.On);
        Assert.Equal("Type 2 rollback of v5", status.Reason);
        Assert.Equal("operator", status.By);
        Assert.Equal("frontend", status.ProxyService);
        Assert.InRange(status.Since.ToDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Contains("10.77.0.1", status.Passes);

        await DrainAsync(maintenance.Disable(new M.OperationHeader("maint-off-1"), "operator"));

        Assert.Equal(M.OperationState.Succeeded, agent.Manager.Get("maint-off-1").Info.State);
        Assert.False(File.Exists(Path.Combine(Dir, "on")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Dir, "pass")));
        var off = MaintenanceWire.ToWire(maintenance.Status());
        Assert.False(off.On);
        Assert.Equal("", off.Reason);
        Assert.Null(off.Since);
    }

    [Fact]
    public async Task The_page_stays_on_across_an_agent_restart_because_the_flag_file_is_the_state()
    {
        var agent = Agent();
        await DrainAsync(Maintenance(agent).Enable(new M.OperationHeader("maint-on-2"), "migration 0003 broke logins", "operator", null));
        var since = Maintenance(agent).Status().Flag!.Since;

        using var restarted = agent.Restart();
        var status = Maintenance(restarted).Status();

        Assert.NotNull(status.Flag);
        Assert.Equal("migration 0003 broke logins", status.Flag.Reason);
        Assert.Equal(since, status.Flag.Since);
        await DrainAsync(Maintenance(restarted).Disable(new M.OperationHeader("maint-off-2"), "operator"));
        Assert.Null(Maintenance(restarted).Status().Flag);
    }

    [Fact]
    public async Task Enabling_again_keeps_the_first_since_and_reason_and_disabling_when_off_has_nothing_to_undo()
    {
        using var agent = Agent();
        var maintenance = Maintenance(agent);
        await DrainAsync(maintenance.Enable(new M.OperationHeader("maint-on-3"), "first", "operator", null));
        var first = maintenance.Status().Flag!;

        var again = await DrainAsync(maintenance.Enable(new M.OperationHeader("maint-on-4"), "second", "operator", null));

        Assert.Equal(first, maintenance.Status().Flag);
        Assert.Contains(again, e => e.Step == "flag" && e.Message.StartsWith("already on since", StringComparison.Ordinal));
        await DrainAsync(maintenance.Disable(new M.OperationHeader("maint-off-3"), "operator"));
        var nothing = await DrainAsync(maintenance.Disable(new M.OperationHeader("maint-off-4"), "operator"));
        Assert.Contains(nothing, e => e.Step == "flag" && e.Message == "nothing to undo: the maintenance page was not on");
        Assert.Equal(M.OperationState.Succeeded, agent.Manager.Get("maint-off-4").Info.State);
    }

    [Fact]
    public async Task A_flag_made_by_hand_counts_as_on_since_its_time()
    {
        using var agent = Agent();
        Directory.CreateDirectory(Dir);
        await File.WriteAllTextAsync(Path.Combine(Dir, "on"), "", Ct);

        var status = Maintenance(agent).Status();

        Assert.NotNull(status.Flag);
        Assert.Equal("(flag file made by hand)", status.Flag.Reason);
        Assert.Contains("page.html is missing", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_Agent_Maintenance_Status_says_what_to_set_and_Enable_and_Disable_are_FailedPrecondition_changing_nothing()
    {
        using var agent = new TestAgent(Path.Combine(_root, "state"));
        var maintenance = Maintenance(agent);

        var status = MaintenanceWire.ToWire(maintenance.Status());
        var enable = Assert.Throws<AgentException>(() => maintenance.Enable(new M.OperationHeader("maint-on-5"), "why", "operator", null));
        var disable = Assert.Throws<AgentException>(() => maintenance.Disable(new M.OperationHeader("maint-off-5"), "operator"));

        Assert.False(status.Configured);
        Assert.Contains("Agent:Maintenance:Directory", status.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.FailedPrecondition, ErrorInterceptor.CodeOf(enable.Kind));
        Assert.Equal(StatusCode.FailedPrecondition, ErrorInterceptor.CodeOf(disable.Kind));
        Assert.Contains("Agent:Maintenance:Directory", enable.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir));
        Assert.Empty(agent.Manager.List(10));
    }

    [Fact]
    public void An_empty_or_multi_line_reason_is_InvalidArgument_and_nothing_is_written()
    {
        using var agent = Agent();
        var maintenance = Maintenance(agent);

        var empty = Assert.Throws<AgentException>(() => maintenance.Enable(new M.OperationHeader("maint-on-6"), " ", "operator", null));
        var lines = Assert.Throws<AgentException>(() => maintenance.Enable(new M.OperationHeader("maint-on-7"), "a\nb", "operator", null));

        Assert.Equal(StatusCode.InvalidArgument, ErrorInterceptor.CodeOf(empty.Kind));
        Assert.Equal(StatusCode.InvalidArgument, ErrorInterceptor.CodeOf(lines.Kind));
        Assert.False(Directory.Exists(Dir));
    }
}
