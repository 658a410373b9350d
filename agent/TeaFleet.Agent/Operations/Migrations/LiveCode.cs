using TeaFleet.Agent.Adapters;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>The code whose Alembic runs: its commit, its migration graph, and its image (and whether the host has it).</summary>
public sealed record LiveCode(string Commit, MigrationGraph Graph, string Image, bool ImagePresent);
