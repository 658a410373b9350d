namespace TeaFleet.Controller.Engine;

/// <summary>Something that happened inside a step (an agent event, or a health probe).</summary>
public sealed record StepProgress(StepPhase Phase, string StepName, string Message, double Percent, long Sequence, DateTimeOffset Time);
