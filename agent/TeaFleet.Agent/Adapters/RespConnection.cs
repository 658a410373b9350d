using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace TeaFleet.Agent.Adapters;

/// <summary>One RESP2 connection over a socket: writes a command, reads its reply, each within the timeout.</summary>
internal sealed class RespConnection(Socket socket, TimeSpan timeout, TimeProvider time) : IRedisConnection
{
    private const int MaxBulkBytes = 64 * 1024 * 1024;
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _broken;

    public async Task<RedisReply> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        if (_broken)
        {
            throw new IOException("the connection to Redis broke during an earlier command");
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _stream.WriteAsync(Encode(command), linked.Token);
            return await ReadReplyAsync(linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _broken = true;
            throw new TimeoutException($"no answer to {command[0]} within {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            // A reply half read leaves the stream out of step with the commands: never reuse it.
            _broken = true;
            throw;
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private static byte[] Encode(IReadOnlyList<string> command)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*{command.Count}\r\n");
        var parts = new List<byte[]>(command.Count * 3 + 1);
        foreach (var argument in command)
        {
            var bytes = Encoding.UTF8.GetBytes(argument);
            text.Append(CultureInfo.InvariantCulture, $"${bytes.Length}\r\n");
            parts.Add(Encoding.UTF8.GetBytes(text.ToString()));
            parts.Add(bytes);
            text.Clear().Append("\r\n");
        }

        parts.Add(Encoding.UTF8.GetBytes(text.ToString()));
        var all = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, offset);
            offset += part.Length;
        }

        return all;
    }

    private async Task<RedisReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        if (line.Length == 0)
        {
            throw new IOException("Redis sent an empty line where a reply was expected");
        }

        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return RedisReply.Simple(rest);
            case '-':
                return RedisReply.Error(rest);
            case ':':
                return RedisReply.Number(ParseNumber(rest));
            case '$':
                var length = ParseNumber(rest);
                if (length < 0)
                {
                    return RedisReply.Bulk(null);
                }

                if (length > MaxBulkBytes)
                {
                    throw new IOException($"Redis sent a bulk string of {length} bytes; the agent reads keys, not values, and stops at {MaxBulkBytes}");
                }

                var bytes = await ReadExactAsync((int)length + 2, cancellationToken);
                return RedisReply.Bulk(Encoding.UTF8.GetString(bytes, 0, (int)length));
            case '*':
                var count = ParseNumber(rest);
                if (count < 0)
                {
                    return RedisReply.Bulk(null);
                }

                var items = new List<RedisReply>((int)Math.Min(count, 1024));
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadReplyAsync(cancellationToken));
                }

                return RedisReply.Array(items);
            default:
                throw new IOException($"Redis sent '{line[0]}', which is not a RESP2 reply; is {socket.RemoteEndPoint} a Redis server?");
        }
    }

    private static long ParseNumber(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new IOException($"Redis sent '{text}' where a number was expected");

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline > _start && _buffer[newline - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }

            if (_start == 0 && _end == _buffer.Length)
            {
                throw new IOException("Redis sent a reply line longer than the agent reads");
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new IOException("Redis closed the connection");
        }

        _end += read;
    }
}
