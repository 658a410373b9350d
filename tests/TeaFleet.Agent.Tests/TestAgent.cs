using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Operations.Leases;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Tests;

/// <summary>An agent's state and operation manager over a temporary state dir, as a restarted agent would build them.</summary>
internal sealed class TestAgent : IDisposable
{
    private readonly Action<AgentOptions>? _configure;

    public TestAgent(string? stateDir = null, TimeProvider? time = null, Action<AgentOptions>? configure = null)
    {
        _configure = configure;
        StateDir = stateDir ?? Directory.CreateTempSubdirectory("teafleet-agent-test-").FullName;
        Time = time ?? TimeProvider.System;
        var options = new AgentOptions
        {
            HostName = "test-1",
            StateDir = StateDir,
            App = new AppOptions { Services = ["backend", "worker", "frontend"], ComposeCommand = ["docker-compose"], ComposeFiles = ["compose.yml"] },
        };
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Lock = new HostLock(Time);
        Leases = new LeaseKeeper(new LeaseFile(Options, NullLogger<LeaseFile>.Instance), Lock, Options, Time, NullLogger<LeaseKeeper>.Instance);
        Journal = new OperationJournal(Options, NullLogger<OperationJournal>.Instance);
        Manager = new OperationManager(Journal, Lock, Leases, Options, Time, NullLogger<OperationManager>.Instance);
        Ledger = new ReleaseLedger(Options, Time, NullLogger<ReleaseLedger>.Instance);
    }

    public string StateDir { get; }

    public TimeProvider Time { get; }

    public IOptions<AgentOptions> Options { get; }

    public HostLock Lock { get; }

    public LeaseKeeper Leases { get; }

    public OperationJournal Journal { get; }

    public OperationManager Manager { get; }

    public ReleaseLedger Ledger { get; }

    /// <summary>Drops the in-memory state without deleting files, like a process that died.</summary>
    public TestAgent Restart()
    {
        Journal.Dispose();
        Ledger.Dispose();
        return new TestAgent(StateDir, Time, _configure);
    }

    public void Dispose()
    {
        Journal.Dispose();
        Ledger.Dispose();
        Manager.Dispose();
    }
}
