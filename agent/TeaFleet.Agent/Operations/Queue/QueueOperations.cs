using System.Globalization;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Queue;

/// <summary>
/// The app's job queues in Redis: the status (a read) and the flush (an operation: host lock, journal,
/// events). A flush removes only the configured keys and the keys the configured patterns match, in
/// the configured database: never FLUSHDB, since sessions or caches may share the database.
/// </summary>
public sealed class QueueOperations(OperationManager operations, RedisQueue redis)
{
    public const string FlushKind = OperationKinds.QueueFlush;

    private QueueOptions Options => redis.Options;

    /// <summary>Each configured queue's type and length; Redis down or refusing is reported, not thrown.</summary>
    public async Task<QueueStatus> StatusAsync(CancellationToken cancellationToken)
    {
        if (!Options.Configured)
        {
            return new QueueStatus(false, "no queue configured: " + redis.NotConfiguredMessage, redis.Address, Options.Database, false, "", []);
        }

        try
        {
            await using var session = await redis.OpenAsync(cancellationToken);
            var queues = new List<QueueLength>();
            foreach (var queue in Options.Queues)
            {
                queues.Add(await session.LengthAsync(queue, cancellationToken));
            }

            return new QueueStatus(true, "", redis.Address, Options.Database, true, "", queues);
        }
        catch (AgentException ex) when (ex.Kind is FailureKind.Unavailable or FailureKind.Precondition)
        {
            return new QueueStatus(true, "", redis.Address, Options.Database, false, ex.Message, []);
        }
    }

    /// <summary>
    /// Removes the named queues' keys (all configured when none are named). Checked before it starts:
    /// the names (InvalidArgument, nothing removed), the configuration (FailedPrecondition) and Redis
    /// itself (connect, password, database: Unavailable or FailedPrecondition).
    /// </summary>
    public async Task<OperationRecord> FlushAsync(OperationHeader header, IReadOnlyList<string> names, string caller, CancellationToken cancellationToken)
    {
        if (operations.TryAttach(header, FlushKind) is { } existing)
        {
            return existing;
        }

        redis.EnsureConfigured();
        var chosen = Choose(names);
        await using (await redis.OpenAsync(cancellationToken))
        {
            // Reached, authenticated, database selected: the operation can only fail for a reason that arose since.
        }

        var what = string.Join(", ", chosen.Select(q => $"{q.Name} ({q.Key})"));
        return operations.Start(header, FlushKind, $"{what} in Redis database {Options.Database} at {redis.Address}", caller, async context =>
        {
            var ct = context.CancellationToken;
            await using var session = await context.StepAsync("connect", $"connect to Redis at {redis.Address}, database {Options.Database}", async () =>
                (await redis.OpenAsync(ct), "Redis answered PING"));

            var before = await context.StepAsync("read", "read the queues' lengths before removing them", async () =>
            {
                var lengths = new List<QueueLength>();
                foreach (var queue in chosen)
                {
                    var length = await session.LengthAsync(queue, ct);
                    context.Log("read", Describe(length));
                    lengths.Add(length);
                }

                return (lengths, $"{lengths.Sum(l => l.Length)} element(s) in {lengths.Sum(l => l.Keys)} key(s)");
            });

            var removed = await context.StepAsync("remove", "remove the queues' keys (UNLINK), nothing else", async () =>
            {
                long total = 0;
                foreach (var queue in chosen)
                {
                    var count = await session.RemoveAsync(queue, ct);
                    context.Log("remove", $"{queue.Name}: removed {count} key(s) of {queue.Key}");
                    total += count;
                }

                return (total, $"removed {total} key(s)");
            });

            await context.StepAsync("check", "read the queues' lengths after", async () =>
            {
                var left = new List<QueueLength>();
                foreach (var queue in chosen)
                {
                    var length = await session.LengthAsync(queue, ct);
                    context.Log("check", Describe(length));
                    left.Add(length);
                }

                var refilled = left.Where(l => l.Keys > 0).Select(l => l.Name).ToList();
                return refilled.Count == 0
                    ? "every flushed queue is empty"
                    : $"{string.Join(", ", refilled)} received new jobs since the removal (something still queues: the app's backend or a scheduler)";
            });

            return new Dictionary<string, string>
            {
                [OperationResultKeys.KeysRemoved] = removed.ToString(CultureInfo.InvariantCulture),
                [OperationResultKeys.QueueLengthsBefore] = string.Join(",", before.Select(l => $"{l.Name}={l.Length.ToString(CultureInfo.InvariantCulture)}")),
                [OperationResultKeys.Queues] = string.Join(",", chosen.Select(q => q.Name)),
                [OperationResultKeys.RedisDatabase] = Options.Database.ToString(CultureInfo.InvariantCulture),
            };
        });
    }

    private List<QueueKeyOptions> Choose(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return Options.Queues.ToList();
        }

        var configured = Options.Queues.Select(q => q.Name).ToList();
        var unknown = names.Where(n => !configured.Contains(n, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw AgentException.Invalid(
                $"queue {string.Join(", ", unknown.Select(n => $"'{n}'"))} is not configured on this host; the configured queues are {string.Join(", ", configured)} (Agent:Queue:Queues); nothing was removed");
        }

        return Options.Queues.Where(q => names.Contains(q.Name, StringComparer.Ordinal)).ToList();
    }

    private static string Describe(QueueLength l) => (l.Pattern, l.Keys) switch
    {
        (true, 0) => $"{l.Name}: no key matches {l.Key} (empty)",
        (true, _) => $"{l.Name}: {l.Key} matches {l.Keys} key(s) ({Name(l.Type)}), {l.Length} element(s)",
        _ => $"{l.Name}: {l.Key} is {Name(l.Type)}, {l.Length} element(s)",
    };

    private static string Name(QueueType type) => type switch
    {
        QueueType.None => "absent (empty)",
        QueueType.Zset => "a sorted set",
        QueueType.Other => "another type (not counted)",
        QueueType.Mixed => "mixed types",
        _ => "a " + type.ToString().ToLowerInvariant(),
    };
}
