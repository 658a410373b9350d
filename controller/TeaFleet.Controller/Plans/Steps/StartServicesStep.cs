using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Services.Start: stopped containers started again, verified (running, healthy, health URLs).</summary>
/// <param name="Services">The services to start; empty: the host's release services.</param>
public sealed record StartServicesStep(IReadOnlyList<string> Services) : AgentStep
{
    protected override string OperationName => OperationKinds.ServicesStart;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("services", ServicesText(Services))];
}
