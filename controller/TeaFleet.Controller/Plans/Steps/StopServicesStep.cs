using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Services.Stop: the runbook's "stop frontend backend" (traffic stopped) or "compose down" of the app.</summary>
/// <param name="Services">The services to stop; empty: the host's release services (never its data services).</param>
public sealed record StopServicesStep(IReadOnlyList<string> Services) : AgentStep
{
    protected override string OperationName => OperationKinds.ServicesStop;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("services", ServicesText(Services))];
}
