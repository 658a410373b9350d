namespace TeaFleet.Controller.Inventory;

/// <summary>Someone to call during an incident (the runbook's emergency contacts).</summary>
public sealed record Contact(string Role, string Name, string Phone);
