using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Migrations.Check: the live release's `alembic current`, compared with alembic_version (and with <paramref name="ExpectHead"/>).</summary>
public sealed record CheckMigrationsStep(string ExpectHead) : AgentStep
{
    protected override string OperationName => OperationKinds.MigrationsCheck;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("expect_head", ExpectHead)];
}
