using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>Everything <c>teafleet diagnose</c> read from an environment, host by host (the input of <see cref="Diagnoser"/>).</summary>
public sealed record DiagnosisFacts
{
    public required string Environment { get; init; }

    /// <summary>When the facts were read (restart counts are judged against it).</summary>
    public required DateTimeOffset Now { get; init; }

    public required string DatabaseHost { get; init; }

    public IReadOnlyList<HostRead> Hosts { get; init; } = [];

    /// <summary>The environment's health URLs and what each answered (empty: none configured, or not checked).</summary>
    public IReadOnlyList<HealthAnswer> Health { get; init; } = [];

    /// <summary>Error lines in each release service's log tail.</summary>
    public IReadOnlyList<LogErrors> Logs { get; init; } = [];

    /// <summary>The Alembic state on the database host against its live code; null when it runs no migrations or could not be read.</summary>
    public MigrationStatus? Migration { get; init; }

    /// <summary>What a downgrade left behind; null when not read.</summary>
    public LeftoversResponse? Leftovers { get; init; }

    /// <summary>The job queues on the database host; null when not read (an agent from before the queue).</summary>
    public QueueStatusResponse? Queue { get; init; }

    /// <summary>The same queues read again <see cref="QueueWait"/> later (null: read once); a queue longer then is growing.</summary>
    public QueueStatusResponse? QueueAgain { get; init; }

    /// <summary>The time between the two queue reads.</summary>
    public TimeSpan QueueWait { get; init; }

    /// <summary>The rollback's default target ("the last good release", the rule `rollback` uses), or why there is none.</summary>
    public LastGoodRelease? LastGood { get; init; }

    /// <summary>The database host's release ledger (to tell the current release, the last good one and the one matching the database).</summary>
    public HostLedger? Ledger { get; init; }
}
