namespace TeaFleet.Agent.Adapters;

public enum RedisReplyKind
{
    Simple,
    Error,
    Integer,
    Bulk,
    Array,
}
