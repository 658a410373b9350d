using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>The maintenance page's status between the agent's own records and the wire (TeaFleet.Agent.V1).</summary>
public static class MaintenanceWire
{
    public static V1.MaintenanceStatusResponse ToWire(M.MaintenanceStatus status) => new()
    {
        Configured = status.Configured,
        On = status.Flag is not null,
        Since = OperationWire.Time(status.Flag?.Since),
        Reason = status.Flag?.Reason ?? "",
        OperationId = status.Flag?.OperationId ?? "",
        By = status.Flag?.By ?? "",
        Passes = { status.Passes },
        Directory = status.Directory,
        ProxyService = status.ProxyService,
        Message = status.Message,
    };
}
