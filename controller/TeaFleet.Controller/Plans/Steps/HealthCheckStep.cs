using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>The controller GETs each URL until all answer 2xx within a short window.</summary>
public sealed record HealthCheckStep(IReadOnlyList<Uri> Urls) : ControllerStep
{
    protected override string OperationName => OperationKinds.HealthCheck;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("urls", string.Join(" ", Urls))];
}
