namespace TeaFleet.Controller.Plans;

/// <summary>
/// The runbook's "Rollback Scenarios & Solutions" by the names 'teafleet scenario NAME ENV' takes: what each
/// is for, and the one way each is planned (<see cref="Planner.PlanScenarioAsync"/>).
/// </summary>
public static class Scenarios
{
    public const string BadGateway = "bad-gateway";
    public const string MigrationFailed = "migration-failed";
    public const string Worker = "worker";
    public const string Frontend = "frontend";
    public const string Security = "security";

    /// <summary>Every scenario name with the runbook's title, in the runbook's order.</summary>
    public static readonly IReadOnlyList<(string Name, string Title)> All =
    [
        (BadGateway, "scenario 1, 502 Bad Gateway after deployment: the backend back to the previous release"),
        (MigrationFailed, "scenario 2, database migration failed mid-way: complete it, else downgrade one, else restore"),
        (Worker, "scenario 3, worker processing jobs incorrectly: stop the worker, clear its queue, the worker back"),
        (Frontend, "scenario 4, frontend rendering issues: the frontend back to the previous release"),
        (Security, "scenario 5, critical security vulnerability: not available yet (done by hand)"),
    ];

    /// <summary>The scenario names, comma-separated, for usage errors.</summary>
    public static string NamesText => string.Join(", ", All.Select(s => s.Name));

    /// <summary>Refuses (exit 2, before anything is contacted) scenario 5, which cannot run yet, and a name that is no scenario.</summary>
    public static void Check(string name, string environment)
    {
        if (name == Security)
        {
            throw FleetException.BadInput(SecurityText(environment));
        }

        if (!All.Any(s => s.Name == name))
        {
            throw FleetException.BadInput($"unknown scenario '{name}'; nothing was changed.", $"The scenarios: {NamesText}.");
        }
    }

    /// <summary>Scenario 5 cannot run yet: what to do by hand, in TeaFleet commands.</summary>
    public static string SecurityText(string environment) =>
        $"scenario 5 (critical security vulnerability) is not available as one command yet (it needs agent work still to come). Nothing was changed. By hand, in this order: " +
        $"1. block the traffic: teafleet block {environment}; " +
        $"2. keep the evidence: teafleet backup {environment} --forensic (and the logs: teafleet logs {environment} SERVICE --host HOST); " +
        $"3. roll back to a known-good state from before the incident: teafleet rollback {environment} --type 3 --before \"YYYY-MM-DD HH:MM\"; " +
        $"4. let the users back once it is verified: teafleet allow {environment}.";
}
