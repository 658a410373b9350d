using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>Database.Check by the controller: connects, reads alembic_version and row counts; fails when the head is not <paramref name="ExpectHead"/> (empty: any).</summary>
public sealed record CheckDatabaseStep(string ExpectHead = "") : ControllerStep
{
    /// <summary>
    /// Also compare the live schema with the reference backup at the head (Migrations.Leftovers): a
    /// migration that failed after committing part of its work (a table created, alembic_version unmoved)
    /// leaves the head unchanged but not the schema. Differences named in <see cref="KnownDifferences"/>
    /// were there before the run and do not count.
    /// </summary>
    public bool SameSchema { get; init; }

    /// <summary>Differences already there when the plan was made ("extra TYPE public.order_status").</summary>
    public IReadOnlyList<string> KnownDifferences { get; init; } = [];

    protected override string OperationName => OperationKinds.DatabaseCheck;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments()
    {
        List<KeyValuePair<string, string>> args = ExpectHead.Length > 0 ? [Arg("expect_head", ExpectHead)] : [];
        if (SameSchema)
        {
            args.Add(Arg("same_schema", KnownDifferences.Count > 0 ? $"true (known: {string.Join(", ", KnownDifferences)})" : "true"));
        }

        return args;
    }
}
