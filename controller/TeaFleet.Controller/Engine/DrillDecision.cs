namespace TeaFleet.Controller.Engine;

/// <summary>
/// Whether a gated run may go ahead, and why; when closed, the drill to run on staging (<c>Command</c>) and,
/// when staging cannot rehearse the plan as it stands (it already runs the target, or there the plan would
/// be of another type), the command that brings staging to what the gated environment runs first (<c>Prepare</c>).
/// </summary>
public sealed record DrillDecision(bool Allowed, string? DrillRunId, string? SkipReason, string Message, string? Command, string? Prepare = null)
{
    /// <summary>The drill in words: "CMD", or "first PREPARE, then CMD".</summary>
    public string? Advice => Command is null ? null : Prepare is null ? Command : $"first '{Prepare}', then '{Command}'";
}
