namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>A downgrade worked out before it runs: from the database's revision to the one asked for, and what it reverts, newest first.</summary>
public sealed record DowngradePlan(string From, string To, IReadOnlyList<string> Reverted);
