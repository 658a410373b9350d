namespace TeaFleet.Controller.Engine;

/// <summary>What a resumed run does with a step that has no succeeded end.</summary>
public enum ResumeAction
{
    /// <summary>The step never started: its first attempt.</summary>
    Start = 1,

    /// <summary>The last attempt started on an agent and the journal has no end for it (the controller stopped): send the same operation id to attach.</summary>
    Reattach = 2,

    /// <summary>The last attempt ended failed, cancelled or interrupted (or, for a controller-side step, never ended): a new attempt, with a new operation id.</summary>
    Retry = 3,
}
