namespace TeaFleet.Controller.Plans;

/// <summary>A step the controller does itself (reads and checks): no operation id.</summary>
public abstract record ControllerStep : PlanStep;
