namespace TeaFleet.Agent.Adapters;

/// <summary>One RESP2 reply: a simple string, an error, an integer, a bulk string (null when absent) or an array.</summary>
public sealed record RedisReply(RedisReplyKind Kind, string? Text = null, long Integer = 0, IReadOnlyList<RedisReply>? Items = null)
{
    public bool IsError => Kind == RedisReplyKind.Error;

    public static RedisReply Simple(string text) => new(RedisReplyKind.Simple, text);

    public static RedisReply Error(string text) => new(RedisReplyKind.Error, text);

    public static RedisReply Number(long value) => new(RedisReplyKind.Integer, Integer: value);

    public static RedisReply Bulk(string? text) => new(RedisReplyKind.Bulk, text);

    public static RedisReply Array(IReadOnlyList<RedisReply> items) => new(RedisReplyKind.Array, Items: items);

    public override string ToString() => Kind switch
    {
        RedisReplyKind.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RedisReplyKind.Array => $"[{string.Join(", ", Items ?? [])}]",
        _ => Text ?? "(nil)",
    };
}
