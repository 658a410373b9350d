using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Migrations;

namespace TeaFleet.Agent.Tests;

/// <summary>The leftover comparison on dumps captured from a real pg_dump/pg_restore (Fixtures/schema/README.md).</summary>
public sealed class SchemaComparerTests
{
    private static SchemaDump Dump(string name) => SchemaDump.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema", name)));

    private static IReadOnlyList<SchemaDifference> Compare(string live) => SchemaComparer.Compare(Dump("reference-schema.sql"), Dump(live));

    private static string Line(SchemaDifference d) => $"{d.Kind} {d.ObjectType} {d.Schema}.{d.Name}{(d.Droppable ? " droppable" : "")}";

    [Fact]
    public void A_pg_dump_of_the_database_a_backup_was_taken_of_equals_the_backup_pg_restore_reads()
    {
        Assert.Empty(Compare("live-clean-schema.sql"));
        Assert.Contains(Dump("reference-schema.sql").Objects, o => o is { Type: "TABLE", Schema: "public", Name: "orders" });
    }

    [Fact]
    public void Kiosk_0002_downgraded_leaves_its_enum_type_and_nothing_else()
    {
        var difference = Assert.Single(Compare("live-kiosk-schema.sql"));

        Assert.Equal("Extra TYPE public.order_status droppable", Line(difference));
        Assert.Equal("TYPE public.order_status", difference.Label);
        Assert.Equal("DROP TYPE \"public\".\"order_status\"", SchemaComparer.DropStatement(difference));
    }

    [Fact]
    public void Every_kind_of_difference_is_found_and_a_tables_own_objects_are_folded_into_it()
    {
        var differences = Compare("live-many-schema.sql");

        Assert.Equal(
        [
            "Extra TYPE public.order_status droppable",
            "Extra FUNCTION public.order_total(public.orders) droppable",
            "Extra TABLE public.Odd \"Name\" droppable",
            "Extra SEQUENCE public.invoice_numbers droppable",
            "Extra TABLE public.order_events droppable",
            "Extra VIEW public.paid_orders droppable",
            "Extra TABLE public.uses_status droppable",
            "Missing INDEX public.ix_orders_customer",
            "Changed TABLE public.orders",
        ], differences.Select(Line));
        var events = differences.Single(d => d.Name == "order_events");
        Assert.Contains("order_events_id_seq", events.Detail, StringComparison.Ordinal);
        Assert.Contains("order_events_pkey", events.Detail, StringComparison.Ordinal);
        Assert.Contains("order_events_order_id_fkey", events.Detail, StringComparison.Ordinal);
        Assert.Contains("ix_order_events_at", events.Detail, StringComparison.Ordinal);
        Assert.Equal("+ note text", differences.Single(d => d.Kind == SchemaDifferenceKind.Changed).Detail);
    }

    [Fact]
    public void Owner_lines_do_not_make_a_difference()
    {
        Assert.Equal(Compare("live-many-schema.sql").Select(Line), Compare("live-many-schema-with-owner.sql").Select(Line));
        Assert.Contains("Owner: kiosk", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema", "live-many-schema-with-owner.sql")), StringComparison.Ordinal);
    }

    [Fact]
    public void Drops_are_plain_never_cascade_with_every_identifier_quoted()
    {
        var differences = Compare("live-many-schema.sql");
        string Drop(string name) => SchemaComparer.DropStatement(differences.Single(d => d.Name == name));

        Assert.Equal("DROP FUNCTION \"public\".\"order_total\"(public.orders)", Drop("order_total(public.orders)"));
        Assert.Equal("DROP TABLE \"public\".\"Odd \"\"Name\"\"\"", Drop("Odd \"Name\""));
        Assert.Equal("DROP VIEW \"public\".\"paid_orders\"", Drop("paid_orders"));
        Assert.Equal("DROP SEQUENCE \"public\".\"invoice_numbers\"", Drop("invoice_numbers"));
        Assert.All(differences.Where(d => d.Droppable), d => Assert.DoesNotContain("CASCADE", SchemaComparer.DropStatement(d), StringComparison.OrdinalIgnoreCase));
        Assert.Throws<InvalidOperationException>(() => SchemaComparer.DropStatement(differences.Single(d => d.Kind == SchemaDifferenceKind.Missing)));
        Assert.Throws<InvalidOperationException>(() => SchemaComparer.DropStatement(differences.Single(d => d.Kind == SchemaDifferenceKind.Changed)));
    }

    [Fact]
    public void Only_extra_objects_of_the_types_TeaFleet_drops_are_droppable()
    {
        var dump = SchemaDump.Parse("""
            --
            -- Name: audit; Type: SCHEMA; Schema: -; Owner: -
            --

            CREATE SCHEMA audit;

            --
            -- Name: positive; Type: DOMAIN; Schema: public; Owner: -
            --

            CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
            """);

        var differences = SchemaComparer.Compare(SchemaDump.Parse(""), dump);

        Assert.Equal(["Extra SCHEMA -.audit", "Extra DOMAIN public.positive"], differences.Select(Line));
        Assert.Equal("SCHEMA audit", differences[0].Label);
    }

    [Fact]
    public void A_migration_script_mentions_a_leftover_by_its_whole_name_in_any_case()
    {
        const string kiosk0002 = "op.execute(\"CREATE TYPE order_status AS ENUM ('new', 'paid')\")";

        Assert.True(LeftoverFinder.Mentions(kiosk0002, "order_status"));
        Assert.True(LeftoverFinder.Mentions(kiosk0002, "ORDER_STATUS"));
        Assert.False(LeftoverFinder.Mentions(kiosk0002, "order"));
        Assert.False(LeftoverFinder.Mentions("CREATE TYPE order_status_v2", "order_status"));
    }
}
