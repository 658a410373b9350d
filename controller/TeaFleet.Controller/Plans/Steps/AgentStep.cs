namespace TeaFleet.Controller.Plans;

/// <summary>A step that is one agent operation on its host: it gets an operation id (RUN_ID.STEP.HOST).</summary>
public abstract record AgentStep : PlanStep;
