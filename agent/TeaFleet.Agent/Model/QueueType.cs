namespace TeaFleet.Agent.Model;

/// <summary>A queue key's Redis type (TYPE), or for a pattern the one type of its matching keys.</summary>
public enum QueueType
{
    Unspecified,
    None,
    List,
    Zset,
    Stream,
    Set,
    Hash,
    Other,
    Mixed,
}
