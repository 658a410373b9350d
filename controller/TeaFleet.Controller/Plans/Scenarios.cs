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
        (Security, "scenario 5, critical security vulnerability: offline, evidence on every host, the backup from before --before restored, the --patched code, traffic back"),
    ];

    /// <summary>The scenario names, comma-separated, for usage errors.</summary>
    public static string NamesText => string.Join(", ", All.Select(s => s.Name));

    /// <summary>
    /// Refuses (exit 2, before anything is contacted) a name that is no scenario, and what a scenario cannot take:
    /// scenario security without --before, or with --to (its code target is --patched); --before and --patched
    /// for the others.
    /// </summary>
    public static void Check(string name, string environment, ScenarioRequest? request = null)
    {
        if (!All.Any(s => s.Name == name))
        {
            throw FleetException.BadInput($"unknown scenario '{name}'; nothing was changed.", $"The scenarios: {NamesText}.");
        }

        request ??= new ScenarioRequest(null);
        if (name == Security)
        {
            if (request.To is not null)
            {
                throw FleetException.BadInput("--to does not apply to scenario security: name the patched code with --patched REF (without it, the code that matches the backup); nothing was changed.",
                    $"teafleet scenario security {environment} --before \"YYYY-MM-DD HH:MM\" --patched REF");
            }

            if (request.Before is null)
            {
                throw SecurityScenario.MissingBefore(environment);
            }
        }
        else if (request.Before is not null || request.Patched is not null)
        {
            throw FleetException.BadInput($"--before and --patched apply to scenario security only, not to {name}; nothing was changed.", $"teafleet scenario {name} {environment}");
        }
    }
}
