namespace TeaFleet.Controller.Engine;

/// <summary>How a run was asked for: the reasons and the policy decisions recorded at its start.</summary>
public sealed record RunFlags(
    string Inventory,
    bool Yes,
    bool SkipDrill,
    string? Reason,
    string? DrillRunId,
    string? Command);
