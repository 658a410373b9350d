namespace TeaFleet.Agent.Model;

/// <summary>What every mutating call carries: the caller-chosen operation id, who asks, why, and the controller's run.</summary>
public sealed record OperationHeader(string OperationId, string RequestedBy = "", string Reason = "", string RunId = "");
