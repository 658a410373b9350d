using System.Globalization;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Production runs a rollback plan only after the same plan (kind, type, target commit, sorted services)
/// succeeded on staging within the drill window, and a restore only after a restore succeeded there. <c>--skip-drill</c> needs <c>--reason</c>, which is recorded.
/// </summary>
public sealed class DrillGate(TimeProvider timeProvider)
{
    public DrillDecision Check(FleetInventory inventory, Plan plan, IEnumerable<RunRecord> runs, bool skipDrill, string? reason)
    {
        var environment = inventory.FindEnvironment(plan.Environment)
            ?? throw FleetException.BadInput($"unknown environment '{plan.Environment}'.");
        if (!plan.NeedsDrill || !environment.IsGated)
        {
            return new DrillDecision(true, null, null, $"'{environment.Name}' needs no drill", null);
        }

        if (skipDrill)
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw FleetException.BadInput("--skip-drill needs --reason TEXT (it is written into the journal and the incident report).");
            }

            return new DrillDecision(true, null, reason, $"drill gate skipped: {reason}", null);
        }

        var staging = inventory.DrillSourceFor(environment);
        var command = DrillCommand(inventory, staging?.Name ?? "staging", plan);
        if (staging is null)
        {
            return new DrillDecision(false, null, null,
                $"'{environment.Name}' is gated by a staging drill, but the inventory has no 'staging' environment (nor one with 'staging_for: {environment.Name}').",
                null);
        }

        var now = timeProvider.GetUtcNow();
        var window = inventory.Drill.Window;
        var same = runs
            .Where(r => r.Environment == staging.Name && r.Plan.DrillKey == plan.DrillKey && r.Result == StepResult.Succeeded && r.Finished is not null)
            .OrderByDescending(r => r.Finished)
            .ToList();
        var fresh = same.FirstOrDefault(r => r.Finished!.Value >= now - window && r.Finished!.Value <= now + TimeSpan.FromMinutes(5));
        if (fresh is not null)
        {
            return new DrillDecision(true, fresh.RunId, null,
                $"drill gate open: staging run {fresh.RunId} ({plan.What}) succeeded at {fresh.Finished:u}",
                null);
        }

        var missing = $"the drill gate is closed: no {plan.What} on '{staging.Name}' succeeded within the drill window of {Describe(window)}";
        if (same.Count > 0)
        {
            missing += $"; the last one, {same[0].RunId}, finished at {same[0].Finished:u}, which is too long ago";
        }

        return new DrillDecision(false, null, null, missing + ".", command);
    }

    /// <summary>
    /// The runs that can count as the plan's drill, read lazily (only when the gate asks: never for an
    /// environment that needs no drill) and only the drill environment's journals.
    /// </summary>
    public static IEnumerable<RunRecord> Candidates(FleetInventory inventory, Plan plan) =>
        inventory.FindEnvironment(plan.Environment) is { } environment && inventory.DrillSourceFor(environment) is { } staging
            ? new RunStore(inventory.RunsDir).Of(staging.Name)
            : [];

    public static string DrillCommand(FleetInventory inventory, string staging, Plan plan) => plan.Procedure.DrillCommand(inventory, staging, plan);

    private static string Describe(TimeSpan window) =>
        window.TotalDays >= 1 && window.TotalDays % 1 == 0 ? $"{window.TotalDays.ToString(CultureInfo.InvariantCulture)}d"
        : window.TotalHours >= 1 && window.TotalHours % 1 == 0 ? $"{window.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : $"{window.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m";
}
