using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>The inventory's smoke test through the app's API (health, login, read, create and delete a test record).</summary>
/// <param name="Checks">The names of the checks, in order (their requests are read from the inventory when the step runs).</param>
/// <param name="BaseUrl">The address the checks go to.</param>
public sealed record SmokeTestStep(IReadOnlyList<string> Checks, Uri BaseUrl) : ControllerStep
{
    protected override string OperationName => OperationKinds.SmokeTest;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("checks", string.Join(",", Checks)), Arg("base_url", BaseUrl.ToString())];
}
