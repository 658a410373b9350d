using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>The queues' status between the agent's own records and the wire.</summary>
public static class QueueWire
{
    public static V1.QueueStatusResponse ToWire(M.QueueStatus s)
    {
        var wire = new V1.QueueStatusResponse
        {
            Configured = s.Configured,
            Message = s.Message,
            Address = s.Address,
            Database = s.Database,
            Reachable = s.Reachable,
            Error = s.Error,
        };
        wire.Queues.Add(s.Queues.Select(ToWire));
        return wire;
    }

    public static V1.QueueLength ToWire(M.QueueLength q) => new()
    {
        Name = q.Name,
        Key = q.Key,
        Pattern = q.Pattern,
        Type = ToWire(q.Type),
        Length = q.Length,
        Keys = q.Keys,
    };

    public static V1.QueueType ToWire(M.QueueType type) => type switch
    {
        M.QueueType.None => V1.QueueType.None,
        M.QueueType.List => V1.QueueType.List,
        M.QueueType.Zset => V1.QueueType.Zset,
        M.QueueType.Stream => V1.QueueType.Stream,
        M.QueueType.Set => V1.QueueType.Set,
        M.QueueType.Hash => V1.QueueType.Hash,
        M.QueueType.Other => V1.QueueType.Other,
        M.QueueType.Mixed => V1.QueueType.Mixed,
        _ => V1.QueueType.Unspecified,
    };
}
