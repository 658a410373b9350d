namespace TeaFleet.Controller.Inventory;

/// <summary>
/// One request of an environment's smoke test (the runbook's "test critical functionality": login,
/// view data, create and delete a test record). Path may use {NAME} for a value an earlier check
/// saved from its JSON answer (save: NAME).
/// </summary>
public sealed record SmokeCheck(string Name, string Method, string Path, string? Body, int? Expect, string? Save);
