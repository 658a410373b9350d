using Spectre.Console;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Output;

/// <summary>Prints <c>diagnose</c>'s answer: the issue, priority, rollback type and command, why, and the facts; or one <c>diagnosis</c> object with --json.</summary>
public static class DiagnosisPrinter
{
    public static void Print(CommandOutput output, string environment, Diagnosis diagnosis)
    {
        if (output.IsJson)
        {
            var main = diagnosis.Main;
            output.Json(new
            {
                type = "diagnosis",
                environment,
                issue = main.Id,
                issue_text = main.Issue,
                severity = main.Priority.Word,
                priority = main.Priority.Label,
                rollback_type = main.RollbackType,
                command = main.Command,
                reasons = main.Reasons,
                also = diagnosis.Also.Select(Json),
                operator_calls = diagnosis.OperatorCalls.Select(Json),
                unreachable = diagnosis.Unreachable,
                exit_code = diagnosis.ExitCode,
                facts = diagnosis.Facts.Select(f => new { host = f.Host, kind = f.Kind, evidence = f.Evidence, problem = f.Problem }),
            });
            return;
        }

        var console = output.Console;
        var m = diagnosis.Main;
        var color = m.Priority == Priority.None ? "green" : m.Priority == Priority.CanWait ? "yellow" : "red";
        console.MarkupLine($"[bold]{CommandOutput.Esc(environment)}[/]: [{color}]{CommandOutput.Esc(m.Issue)}[/]" +
            (m.Priority == Priority.None ? "" : $" — {CommandOutput.Esc(m.Priority.Label)} ({m.Priority.Word}), rollback type {CommandOutput.Esc(m.RollbackType)}"));
        if (m.Command is not null)
        {
            console.MarkupLine($"  run: [bold]{CommandOutput.Esc(m.Command)}[/]");
        }

        foreach (var reason in m.Reasons)
        {
            console.MarkupLine($"  - {CommandOutput.Esc(reason)}");
        }

        foreach (var also in diagnosis.Also)
        {
            console.MarkupLine($"then: [yellow]{CommandOutput.Esc(also.Issue)}[/] — {CommandOutput.Esc(also.Priority.Label)} ({also.Priority.Word}){(also.Command is null ? "" : $": {CommandOutput.Esc(also.Command)}")}");
            foreach (var reason in also.Reasons)
            {
                console.MarkupLine($"  - {CommandOutput.Esc(reason)}");
            }
        }

        foreach (var call in diagnosis.OperatorCalls)
        {
            console.MarkupLine($"operator's call: {CommandOutput.Esc(call.Issue)} — if confirmed, {CommandOutput.Esc(call.Priority.Label)}: {CommandOutput.Esc(call.Command)}");
            foreach (var reason in call.Reasons)
            {
                console.MarkupLine($"  - {CommandOutput.Esc(reason)}");
            }
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("Host").AddColumn("Fact").AddColumn("Evidence");
        foreach (var f in diagnosis.Facts)
        {
            table.AddRow(CommandOutput.Esc(f.Host), f.Problem ? $"[red]{CommandOutput.Esc(f.Kind)}[/]" : CommandOutput.Esc(f.Kind), CommandOutput.Esc(f.Evidence));
        }

        console.Write(table);
    }

    private static object Json(Finding f) => new
    {
        issue = f.Id,
        issue_text = f.Issue,
        severity = f.Priority.Word,
        priority = f.Priority.Label,
        rollback_type = f.RollbackType,
        command = f.Command,
        reasons = f.Reasons,
    };
}
