namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>A migrations.downgrade this agent ran to its end: when it started and the revision it ended at.</summary>
public sealed record RecordedDowngrade(string OperationId, DateTimeOffset StartedAt, string To);
