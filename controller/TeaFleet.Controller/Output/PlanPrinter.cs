using Spectre.Console;
using TeaFleet.Controller.Plans;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Output;

/// <summary>Prints a plan step by step (human table, or one JSON object with --json).</summary>
public static class PlanPrinter
{
    public static void Print(CommandOutput output, Plan plan, string? runId = null)
    {
        if (output.IsJson)
        {
            output.Json(new
            {
                type = "plan",
                run_id = runId,
                kind = plan.Kind.Word(),
                rollback_type = (int)plan.Type,
                environment = plan.Environment,
                target_commit = plan.TargetCommit,
                target_tags = plan.TargetTags,
                services = plan.Services,
                current_commits = plan.CurrentCommits,
                nothing_to_do = plan.NothingToDo,
                note = plan.Note,
                warnings = plan.Warnings ?? [],
                type_reason = plan.TypeReason,
                data_loss_since = plan.DataLossSince,
                drill_key = plan.DrillKey,
                steps = plan.Steps.Select(s => new
                {
                    index = s.Index,
                    host = s.Host,
                    operation = s.Operation,
                    arguments = s.DescribeArguments().ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
                    verification = s.Verification,
                    destructive = s.Destructive,
                    on_failure = s.OnFailure,
                    runs_if = s.RunsIf.Kind == StepConditionKind.Always ? null : s.RunsIf.ToString(),
                }),
            });
            return;
        }

        var console = output.Console;
        if (!plan.SwitchesCode)
        {
            console.MarkupLine($"[bold]{CommandOutput.Esc(char.ToUpperInvariant(plan.What[0]) + plan.What[1..])} in {CommandOutput.Esc(plan.Environment)}[/]");
            if (plan.Note is { } note)
            {
                console.MarkupLine($"  {CommandOutput.Esc(note)}");
            }
        }
        else
        {
            var title = plan.Procedure is CodeSwitchProcedure procedure ? procedure.Title : plan.What;
            console.MarkupLine($"[bold]{title} of {CommandOutput.Esc(plan.Environment)}[/] to [bold]{GitRefs.Short(plan.TargetCommit)}[/]{(plan.TargetTags.Count > 0 ? $" ({CommandOutput.Esc(string.Join(", ", plan.TargetTags))})" : "")}, services: {CommandOutput.Esc(plan.ServicesText)}");
            if (plan.TypeReason is { } why)
            {
                console.MarkupLine($"  Why Type {(int)plan.Type}: {CommandOutput.Esc(why)}");
            }

            if (plan.Note is { } note && !plan.NothingToDo)
            {
                console.MarkupLine($"  [yellow]{CommandOutput.Esc(note)}[/]");
            }
        }

        foreach (var warning in plan.Warnings ?? [])
        {
            console.MarkupLine($"  [yellow]warning:[/] {CommandOutput.Esc(warning)}");
        }

        foreach (var (host, commit) in plan.CurrentCommits.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            console.MarkupLine($"  {CommandOutput.Esc(host)} runs {(commit.Length > 0 ? GitRefs.Short(commit) : "(no release)")}");
        }

        if (plan.NothingToDo)
        {
            console.MarkupLine($"[green]{CommandOutput.Esc(plan.Note ?? "nothing to do")}[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("#").AddColumn("Host").AddColumn("Operation").AddColumn("Arguments").AddColumn("Verified by").AddColumn("Destructive").AddColumn("On failure");
        foreach (var s in plan.Steps)
        {
            table.AddRow(
                s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                CommandOutput.Esc(s.Host),
                CommandOutput.Esc(s.Operation),
                CommandOutput.Esc(string.Join("\n", s.DescribeArguments().Select(a => $"{a.Key}={(a.Key == "commit" ? GitRefs.Short(a.Value) : a.Value)}"))),
                CommandOutput.Esc(s.Verification),
                s.Destructive ? "[red]yes[/]" : "no",
                CommandOutput.Esc(When(s) + s.OnFailure));
        }

        console.Write(table);
        if (plan.SwitchesCode)
        {
            console.MarkupLine("Hosts are done one at a time; each is verified before the next.");
        }
    }

    /// <summary>When a step runs, if not always: the words before its "on failure".</summary>
    private static string When(PlanStep s) =>
        (s.IsFallback ? "(runs only if the step before failed) "
            : s.RunsIfSucceeded is { } n ? $"(runs only if step {n} succeeded) "
            : s.Undoes is { } u ? $"(way back: runs only if the run fails {(s.RunsIf.UndoesFailedStep ? "at or " : "")}after step {u}) "
            : "")
        + (s.Requires is { } r ? $"(and only if step {r} succeeded) " : "");
}
