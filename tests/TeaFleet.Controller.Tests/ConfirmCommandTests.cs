using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// 'teafleet confirm RUN ITEM --note TEXT': what only a person can do after scenario 5 (rotate the secrets...)
/// recorded in the run's journal with who and when, and the report's checklist showing it as confirmed with the
/// note; the open items listed with their exact commands; an unknown item refused with nothing written.
/// </summary>
public sealed class ConfirmCommandTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 16, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;
    private readonly string _inventoryPath;

    public ConfirmCommandTests()
    {
        _inventoryPath = _dir.File("teafleet.yaml", Samples.Inventory);
        _inventory = InventoryLoader.Load(_inventoryPath);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A finished scenario 5 run in production (its steps as a plan would have them).</summary>
    private string SecurityRun()
    {
        var production = _inventory.FindEnvironment("production")!;
        var plan = new Plan(PlanKind.Security, RollbackType.FullSystem, "production", Samples.C3, [], [], new Dictionary<string, string>(),
        [
            new CollectForensicsStep { Index = 1, Host = "prod-1", Verification = "agent: bundle", OnFailure = "stop" },
            new CollectForensicsStep { Index = 2, Host = "prod-2", Verification = "agent: bundle", OnFailure = "stop" },
        ], "scenario 5", DataLossSince: T0.AddHours(-2));
        Assert.Equal("production", production.Name);
        return JournalTestData.WriteRun(_inventory.RunsDir, plan, StepResult.Succeeded, T0, T0.AddMinutes(10));
    }

    private Task<(int ExitCode, string Output, string Error)> Cli(params string[] args) =>
        CliRun.RunAsync(new FakeTimeProvider(T0.AddHours(1)), new FakeFleetReader(), [.. args, "-i", _inventoryPath]);

    [Fact]
    public async Task Confirm_records_who_when_and_the_note_and_the_reports_checklist_shows_the_item_as_confirmed()
    {
        var runId = SecurityRun();

        var (exit, output, _) = await Cli("confirm", runId, "secrets-rotated", "--note", "DB and JWT secrets rotated, INC-51");

        Assert.Equal(ExitCodes.Done, exit);
        Assert.Contains("Confirmed \"Rotate all secrets (update the env file)\"", output, StringComparison.Ordinal);
        Assert.Contains("Still open: ssl-certificates, incident-documented, team-notified, root-cause-analysis", output, StringComparison.Ordinal);
        var run = new RunStore(_inventory.RunsDir).Get(runId);
        var confirmation = Assert.Single(run.Confirmations);
        Assert.Equal(("secrets-rotated", "DB and JWT secrets rotated, INC-51", T0.AddHours(1)), (confirmation.Key, confirmation.Note, confirmation.Time));
        Assert.Contains("via teafleet confirm", confirmation.Who, StringComparison.Ordinal);

        var checklist = RunbookChecklist.For(run, null);
        var secrets = checklist.Single(i => i.Item == "Rotate all secrets (update the env file)");
        Assert.Equal(ChecklistState.Confirmed, secrets.State);
        Assert.EndsWith("at 2026-11-20 17:00Z: DB and JWT secrets rotated, INC-51", secrets.Evidence, StringComparison.Ordinal);
        var ssl = checklist.Single(i => i.Item == "Regenerate SSL certificates if needed");
        Assert.Equal(ChecklistState.NotDone, ssl.State);
        Assert.Equal($"not confirmed yet: teafleet confirm {runId} ssl-certificates", ssl.Evidence);

        var markdown = IncidentReport.Render(_inventory, run);
        Assert.Contains("- [x] Rotate all secrets (update the env file) (confirmed: by ", markdown, StringComparison.Ordinal);
        Assert.Contains(": DB and JWT secrets rotated, INC-51)", markdown, StringComparison.Ordinal);
        Assert.Contains($"- [ ] Regenerate SSL certificates if needed: not confirmed yet: teafleet confirm {runId} ssl-certificates", markdown, StringComparison.Ordinal);
        Assert.Contains("- [ ] Team notified", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_item_it_lists_the_open_items_each_with_the_exact_confirm_command()
    {
        var runId = SecurityRun();
        await Cli("confirm", runId, "team-notified", "--note", "paged #ops");

        var (exit, output, _) = await Cli("confirm", runId);

        Assert.Equal(ExitCodes.Done, exit);
        Assert.Contains($"teafleet -i {_inventoryPath} confirm {runId} secrets-rotated --note \"...\"", output, StringComparison.Ordinal);
        Assert.Contains($"confirm {runId} ssl-certificates", output, StringComparison.Ordinal);
        Assert.Contains("confirmed  Team notified", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"confirm {runId} team-notified", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_names_each_hosts_evidence_bundle_and_the_forensic_backup()
    {
        var runId = SecurityRun();
        var path = new RunStore(_inventory.RunsDir).PathOf(runId);
        using (var journal = RunJournal.Append(path, runId))
        {
            // What the agent's collect reported on the database host (the journal keeps the final event's data).
            journal.Write(new JournalEntry
            {
                Type = JournalEntry.StepFinished, Time = T0.AddMinutes(10), Step = 1, Host = "prod-1", Result = StepResult.Succeeded,
                Data = new Dictionary<string, string> { ["bundle_path"] = "/var/lib/teafleet/forensics/b1", ["file_count"] = "6", ["manifest_sha256"] = "ab12", ["backup_id"] = "20261120-160100-forensic" },
            });
        }

        var run = new RunStore(_inventory.RunsDir).Get(runId);

        Assert.Contains("## Evidence\n\n- prod-1: bundle /var/lib/teafleet/forensics/b1 (6 files, manifest sha256 ab12), forensic backup 20261120-160100-forensic", IncidentReport.Render(_inventory, run).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<section id=\"evidence\"><h2>Evidence</h2>", IncidentReport.RenderHtml(_inventory, run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_item_is_refused_with_the_runs_items_and_the_journal_is_unchanged()
    {
        var runId = SecurityRun();
        var path = new RunStore(_inventory.RunsDir).PathOf(runId);
        var before = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        var (exit, output, error) = await Cli("confirm", runId, "firewall-checked", "--note", "x");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("no checklist item 'firewall-checked'; nothing was changed", output + error, StringComparison.Ordinal);
        Assert.Contains("secrets-rotated", output + error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_security_runs_end_and_its_report_command_list_the_open_confirmations_with_their_commands()
    {
        var runId = SecurityRun();
        var ended = new RunStore(_inventory.RunsDir).Get(runId);
        var console = new PrinterTestConsole(json: false);
        Output.RunPrinter.Finished(console.Output, _inventory, ended.Plan, new RunOutcome(StepResult.Succeeded, null, null, null, ExitCodes.Done), ended, null);
        Assert.Contains(console.Lines, l => l.StartsWith("To confirm by hand", StringComparison.Ordinal));
        Assert.Contains(console.Lines, l => l.Contains($"confirm {runId} secrets-rotated --note", StringComparison.Ordinal));
        await Cli("confirm", runId, "secrets-rotated");

        var (exit, output, _) = await Cli("report", runId, "--out", Path.Combine(_dir.Path, "out"));

        Assert.Equal(ExitCodes.Done, exit);
        Assert.Contains("To confirm by hand", output, StringComparison.Ordinal);
        Assert.Contains($"confirm {runId} ssl-certificates", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"confirm {runId} secrets-rotated", output, StringComparison.Ordinal);
    }
}
