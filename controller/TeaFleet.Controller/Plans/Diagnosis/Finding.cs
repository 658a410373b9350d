namespace TeaFleet.Controller.Plans;

/// <summary>An answer of the decision matrix: the issue (a stable id and the runbook's words), its priority, the rollback type and the command to run, and why.</summary>
public sealed record Finding(string Id, string Issue, Priority Priority, string RollbackType, string? Command, IReadOnlyList<string> Reasons);
