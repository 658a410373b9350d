using Spectre.Console;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Output;

/// <summary>Prints the runs of the journal directory: a table, or one <c>run</c> object per run with --json.</summary>
public static class RunsPrinter
{
    public static void Print(CommandOutput output, string runsDir, IReadOnlyList<RunRecord> runs)
    {
        if (output.IsJson)
        {
            foreach (var r in runs)
            {
                output.Json(new
                {
                    type = "run",
                    run_id = r.RunId,
                    environment = r.Environment,
                    kind = r.Plan.Kind.Word(),
                    target_commit = r.Plan.TargetCommit,
                    services = r.Plan.Services,
                    result = r.Result.Word(),
                    started = r.Started,
                    finished = r.Finished,
                    who = r.Who,
                    journal = r.Path,
                });
            }

            return;
        }

        if (runs.Count == 0)
        {
            output.Line($"No runs in {CommandOutput.Esc(runsDir)}.");
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("Run").AddColumn("Env").AddColumn("Kind").AddColumn("Target").AddColumn("Services").AddColumn("Result").AddColumn("Started");
        foreach (var r in runs)
        {
            var result = r.Result.Word();
            var color = r.Result == StepResult.Succeeded ? "green" : r.Result is null or StepResult.Cancelled ? "yellow" : "red";
            table.AddRow(
                CommandOutput.Esc(r.RunId),
                CommandOutput.Esc(r.Environment),
                CommandOutput.Esc(r.Plan.Kind.Word()),
                GitRefs.Short(r.Plan.TargetCommit),
                CommandOutput.Esc(r.Plan.ServicesText),
                $"[{color}]{CommandOutput.Esc(result)}[/]",
                r.Started.ToString("u"));
        }

        output.Console.Write(table);
    }
}
