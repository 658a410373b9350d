using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Maintenance.Disable: the maintenance page down on the host; its nginx serves the app again from the next request on.</summary>
public sealed record DisableMaintenanceStep : AgentStep
{
    protected override string OperationName => OperationKinds.MaintenanceDisable;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [];
}
