using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Database.Check by the controller: connects, reads alembic_version and row counts; fails when the head is not <paramref name="ExpectHead"/> (empty: any).</summary>
public sealed record CheckDatabaseStep(string ExpectHead = "") : ControllerStep
{
    protected override string OperationName => OperationKinds.DatabaseCheck;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => ExpectHead.Length > 0 ? [Arg("expect_head", ExpectHead)] : [];
}
