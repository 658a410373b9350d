using System.Globalization;
using System.Net.Sockets;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// A connection in the queues' database: reads a queue's type and length and removes its keys. A
/// pattern is walked with SCAN MATCH (never KEYS, which blocks the server); keys go with UNLINK (DEL
/// on a server before 4.0). Every failure message is masked of the password.
/// </summary>
public sealed class RedisQueueSession(IRedisConnection connection, string where, string password) : IAsyncDisposable
{
    private const int ScanCount = 500;
    private const int UnlinkBatch = 100;
    private bool _delInsteadOfUnlink;

    /// <summary>The queue's type, length and key count, as TYPE and LLEN/ZCARD/XLEN/SCARD/HLEN give them.</summary>
    public async Task<QueueLength> LengthAsync(QueueKeyOptions queue, CancellationToken cancellationToken)
    {
        if (!QueueKeys.IsPattern(queue.Key))
        {
            var (type, length) = await KeyLengthAsync(queue.Key, cancellationToken);
            return new QueueLength(queue.Name, queue.Key, false, type, length, type == QueueType.None ? 0 : 1);
        }

        var keys = await MatchAsync(queue.Key, cancellationToken);
        var types = new HashSet<QueueType>();
        long total = 0;
        long existing = 0;
        foreach (var key in keys)
        {
            var (type, length) = await KeyLengthAsync(key, cancellationToken);
            if (type == QueueType.None)
            {
                continue; // gone since the SCAN
            }

            types.Add(type);
            total += length;
            existing++;
        }

        var common = types.Count switch
        {
            0 => QueueType.None,
            1 => types.First(),
            _ => QueueType.Mixed,
        };
        return new QueueLength(queue.Name, queue.Key, true, common, total, existing);
    }

    /// <summary>Removes the queue's key, or every key its pattern matches now; returns how many keys Redis removed.</summary>
    public async Task<long> RemoveAsync(QueueKeyOptions queue, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> keys = QueueKeys.IsPattern(queue.Key) ? await MatchAsync(queue.Key, cancellationToken) : [queue.Key];
        long removed = 0;
        foreach (var batch in keys.Chunk(UnlinkBatch))
        {
            removed += await UnlinkAsync(batch, cancellationToken);
        }

        return removed;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    internal async Task<RedisReply> SendAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ExecuteAsync(command, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            throw AgentException.Unavailable(
                RedisQueue.Mask($"{where} failed during {command[0]}: {ex.Message}; check that the redis service runs (`teafleet status`) and Agent:Queue:Host, Agent:Queue:Port and Agent:Queue:TimeoutSeconds", password), ex);
        }
    }

    private async Task<long> UnlinkAsync(string[] keys, CancellationToken cancellationToken)
    {
        if (!_delInsteadOfUnlink)
        {
            var reply = await SendAsync(["UNLINK", .. keys], cancellationToken);
            if (!reply.IsError)
            {
                return Integer(reply, "UNLINK");
            }

            if (reply.Text?.Contains("unknown command", StringComparison.OrdinalIgnoreCase) != true)
            {
                throw Refused("UNLINK", reply);
            }

            _delInsteadOfUnlink = true;
        }

        return Integer(await SendAsync(["DEL", .. keys], cancellationToken), "DEL");
    }

    private async Task<List<string>> MatchAsync(string pattern, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var cursor = "0";
        do
        {
            var reply = await SendAsync(["SCAN", cursor, "MATCH", pattern, "COUNT", ScanCount.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            if (reply.IsError || reply.Items is not [{ Text: { } next }, { Items: { } found }])
            {
                throw Refused("SCAN", reply);
            }

            foreach (var key in found)
            {
                if (key.Text is { } k)
                {
                    keys.Add(k);
                }
            }

            cursor = next;
        }
        while (cursor != "0");

        return keys.Order(StringComparer.Ordinal).ToList();
    }

    private async Task<(QueueType Type, long Length)> KeyLengthAsync(string key, CancellationToken cancellationToken)
    {
        var typeReply = await SendAsync(["TYPE", key], cancellationToken);
        if (typeReply.IsError)
        {
            throw Refused("TYPE", typeReply);
        }

        var (type, command) = typeReply.Text switch
        {
            "none" => (QueueType.None, null),
            "list" => (QueueType.List, "LLEN"),
            "zset" => (QueueType.Zset, "ZCARD"),
            "stream" => (QueueType.Stream, "XLEN"),
            "set" => (QueueType.Set, "SCARD"),
            "hash" => (QueueType.Hash, "HLEN"),
            _ => (QueueType.Other, (string?)null),
        };
        if (command is null)
        {
            return (type, 0);
        }

        var reply = await SendAsync([command, key], cancellationToken);
        if (reply.IsError && reply.Text?.StartsWith("WRONGTYPE", StringComparison.Ordinal) == true)
        {
            return await KeyLengthAsync(key, cancellationToken); // replaced by another type in between
        }

        return (type, Integer(reply, command));
    }

    private long Integer(RedisReply reply, string command) =>
        reply.Kind == Adapters.RedisReplyKind.Integer ? reply.Integer : throw Refused(command, reply);

    private AgentException Refused(string command, RedisReply reply) =>
        reply.Text?.StartsWith("NOAUTH", StringComparison.Ordinal) == true || reply.Text?.StartsWith("NOPERM", StringComparison.Ordinal) == true
            ? AgentException.Precondition(RedisQueue.Mask($"{where} refused {command}: {reply.Text}; the user of Agent:Queue:PasswordFile needs read and write access to the queues' keys", password))
            : AgentException.Unavailable(RedisQueue.Mask($"{where} answered {command} with {reply}; check the redis service's log (`teafleet logs`)", password));
}
