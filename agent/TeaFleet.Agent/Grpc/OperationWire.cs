using Google.Protobuf.WellKnownTypes;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>Operations between the wire (TeaFleet.Agent.V1) and the agent's own records.</summary>
public static class OperationWire
{
    /// <summary>A request's header; a missing one becomes one without an id, which the operation manager refuses.</summary>
    public static M.OperationHeader ToModel(V1.OperationHeader? header) =>
        header is null ? new M.OperationHeader("") : new M.OperationHeader(header.OperationId, header.RequestedBy, header.Reason, header.RunId);

    public static V1.OperationEvent ToWire(M.OperationEvent e)
    {
        var wire = new V1.OperationEvent
        {
            OperationId = e.OperationId,
            Sequence = e.Sequence,
            Time = Time(e.Time),
            Step = e.Step,
            Phase = ToWire(e.Phase),
            Percent = e.Percent,
            Bytes = e.Bytes,
            Message = e.Message,
            Host = e.Host,
            Final = e.Final,
        };
        foreach (var (key, value) in e.Data)
        {
            wire.Data[key] = value;
        }

        return wire;
    }

    public static V1.OperationInfo ToWire(M.OperationInfo i) => new()
    {
        OperationId = i.OperationId,
        Kind = i.Kind,
        State = ToWire(i.State),
        RequestedBy = i.RequestedBy,
        RunId = i.RunId,
        StartedAt = Time(i.StartedAt),
        EndedAt = Time(i.EndedAt),
        LastSequence = i.LastSequence,
        Message = i.Message,
        Summary = i.Summary,
    };

    public static V1.LockInfo ToWire(M.LockInfo l) => new()
    {
        Held = l.Held,
        OperationId = l.OperationId,
        Kind = l.Kind,
        Holder = l.Holder,
        Since = Time(l.Since),
    };

    public static V1.OperationPhase ToWire(M.OperationPhase phase) => phase switch
    {
        M.OperationPhase.Started => V1.OperationPhase.Started,
        M.OperationPhase.Progress => V1.OperationPhase.Progress,
        M.OperationPhase.Log => V1.OperationPhase.Log,
        M.OperationPhase.Succeeded => V1.OperationPhase.Succeeded,
        M.OperationPhase.Failed => V1.OperationPhase.Failed,
        M.OperationPhase.Cancelled => V1.OperationPhase.Cancelled,
        _ => V1.OperationPhase.Unspecified,
    };

    public static V1.OperationState ToWire(M.OperationState state) => state switch
    {
        M.OperationState.Running => V1.OperationState.Running,
        M.OperationState.Succeeded => V1.OperationState.Succeeded,
        M.OperationState.Failed => V1.OperationState.Failed,
        M.OperationState.Cancelled => V1.OperationState.Cancelled,
        M.OperationState.Interrupted => V1.OperationState.Interrupted,
        _ => V1.OperationState.Unspecified,
    };

    /// <summary>A time as a Timestamp; none stays none (proto3 leaves the field unset).</summary>
    public static Timestamp? Time(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
