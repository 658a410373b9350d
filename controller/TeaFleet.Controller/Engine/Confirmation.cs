namespace TeaFleet.Controller.Engine;

/// <summary>A checklist item a person confirmed after a run ('teafleet confirm'), as the run's journal keeps it: which, who, when, their note.</summary>
public sealed record Confirmation(string Key, string Who, DateTimeOffset Time, string? Note);
