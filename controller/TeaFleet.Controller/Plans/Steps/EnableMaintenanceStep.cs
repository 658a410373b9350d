using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Maintenance.Enable: the app's nginx on the host answers its users 503 with the maintenance page (the
/// runbook's Type 2 option A), from the next request on, no reload. Without Agent:Maintenance the agent
/// refuses and the step fails with its message.
/// </summary>
/// <param name="Reason">The incident note the agent records with the page (Status shows it), never shown to users.</param>
public sealed record EnableMaintenanceStep(string Reason) : AgentStep
{
    /// <summary>The controller's own address keeps reaching the app, so that the run's health URLs and smoke checks see the app, not the page.</summary>
    public bool KeepCaller { get; init; }

    protected override string OperationName => OperationKinds.MaintenanceEnable;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        KeepCaller ? [Arg("reason", Reason), Arg("passes", "the controller's address")] : [Arg("reason", Reason)];
}
