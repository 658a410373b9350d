namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>One object of a schema dump: its pg_dump header (type, schema, name) and its normalized definition lines.</summary>
public sealed record SchemaObject(string Type, string Schema, string Name, IReadOnlyList<string> Definition)
{
    public (string Type, string Schema, string Name) Key => (Type, Schema, Name);
}
