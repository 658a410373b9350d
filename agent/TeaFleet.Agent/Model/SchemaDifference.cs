namespace TeaFleet.Agent.Model;

/// <summary>One object that differs between the live schema and the reference schema (a backup at the same head).</summary>
public sealed record SchemaDifference
{
    public SchemaDifferenceKind Kind { get; init; }

    /// <summary>pg_dump's object type: TABLE, TYPE, SEQUENCE, INDEX, VIEW, FUNCTION, CONSTRAINT...</summary>
    public string ObjectType { get; init; } = "";

    public string Schema { get; init; } = "";

    /// <summary>pg_dump's name of the object ("orders", "order_total(public.orders)", "orders orders_pkey").</summary>
    public string Name { get; init; } = "";

    public string Detail { get; init; } = "";

    /// <summary>An extra object of a type repair leftovers drops (a plain DROP, never CASCADE).</summary>
    public bool Droppable { get; init; }

    /// <summary>The target's revisions whose scripts name it (their upgrade would collide with it).</summary>
    public IReadOnlyList<string> CollidesWith { get; init; } = [];

    /// <summary>"TYPE public.order_status": how the object is named in messages and results.</summary>
    public string Label => Schema is "" or "-" ? $"{ObjectType} {Name}" : $"{ObjectType} {Schema}.{Name}";
}
