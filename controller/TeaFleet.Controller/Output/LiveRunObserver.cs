using Spectre.Console;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Output;

/// <summary>Live progress on a terminal: one line per step per host with a spinner, elapsed time and the agent's latest message.</summary>
public sealed class LiveRunObserver(ProgressContext context) : IRunObserver
{
    private readonly Dictionary<int, ProgressTask> _tasks = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<string> Notes => _notes;

    public static Progress Create(IAnsiConsole console) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new ElapsedTimeColumn(), new ProgressBarColumn { Width = 12 }, new TaskDescriptionColumn { Alignment = Justify.Left });

    public void StepStarted(PlanStep step, string? operationId)
    {
        var task = context.AddTask(Title(step, "started"), maxValue: 100);
        task.IsIndeterminate = true;
        task.StartTask();
        _tasks[step.Index] = task;
    }

    public void StepProgress(PlanStep step, StepProgress progress)
    {
        if (!_tasks.TryGetValue(step.Index, out var task))
        {
            return;
        }

        var message = progress.StepName.Length > 0 ? $"{progress.StepName}: {progress.Message}" : progress.Message;
        task.Description = Title(step, message.Length > 90 ? message[..87] + "..." : message);
        if (progress.Percent >= 0)
        {
            task.IsIndeterminate = false;
            task.Value = progress.Percent;
        }
    }

    public void StepFinished(PlanStep step, StepOutcome outcome, TimeSpan elapsed)
    {
        if (!_tasks.TryGetValue(step.Index, out var task))
        {
            return;
        }

        var mark = outcome.Succeeded ? "[green]done[/]" : $"[red]{CommandOutput.Esc(outcome.Result.Word())}[/]";
        task.Description = $"[bold]{step.Index}. {CommandOutput.Esc(step.Host)}[/] {CommandOutput.Esc(step.Operation)} {mark} {CommandOutput.Esc(Trim(outcome.Message))}";
        task.IsIndeterminate = false;
        task.Value = 100;
        task.StopTask();
    }

    public void Note(string message) => _notes.Add(message);

    private static string Title(PlanStep step, string message) =>
        $"[bold]{step.Index}. {CommandOutput.Esc(step.Host)}[/] {CommandOutput.Esc(step.Operation)} [grey]{CommandOutput.Esc(message)}[/]";

    private static string Trim(string text) => text.Length > 90 ? text[..87] + "..." : text;
}
