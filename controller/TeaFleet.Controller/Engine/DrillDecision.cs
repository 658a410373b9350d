namespace TeaFleet.Controller.Engine;

/// <summary>Whether a gated run may go ahead, and why.</summary>
public sealed record DrillDecision(bool Allowed, string? DrillRunId, string? SkipReason, string Message, string? Command);
