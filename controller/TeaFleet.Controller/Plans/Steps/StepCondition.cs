using System.Globalization;
using System.Text.Json.Serialization;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// When a step runs: always; only when the step before it failed (a fallback: "complete it, else
/// downgrade, else restore"); only when step N of the run succeeded; or, as the run's way back, only
/// after the run failed and only if step N (which it undoes, e.g. a stop) had succeeded (or, "undoes-tried:N",
/// also when step N is the failed step and did not say it changed nothing). Journaled and printed as "",
/// "previous-failed", "succeeded:N", "undoes:N" and "undoes-tried:N".
/// </summary>
[JsonConverter(typeof(StepConditionJsonConverter))]
public sealed record StepCondition
{
    private const string PreviousFailedText = "previous-failed";
    private const string SucceededPrefix = "succeeded:";
    private const string UndoesPrefix = "undoes:";
    private const string UndoesTriedPrefix = "undoes-tried:";

    private StepCondition(StepConditionKind kind, int step)
    {
        Kind = kind;
        Step = step;
    }

    public StepConditionKind Kind { get; }

    /// <summary>The step a <see cref="StepConditionKind.Succeeded"/> condition waits for.</summary>
    public int Step { get; }

    public static StepCondition Always { get; } = new(StepConditionKind.Always, 0);

    public static StepCondition PreviousFailed { get; } = new(StepConditionKind.PreviousFailed, 0);

    public static StepCondition Succeeded(int step) => new(StepConditionKind.Succeeded, step);

    /// <summary>A way back: runs only after the run failed, and only if step <paramref name="step"/> (which it undoes) had succeeded.</summary>
    public static StepCondition Undoes(int step) => new(StepConditionKind.Undoes, step);

    /// <summary>
    /// A way back like <see cref="Undoes"/> that also runs when step <paramref name="step"/> is the step the run
    /// failed at, unless its result says it changed nothing (<c>changed=false</c>).
    /// </summary>
    public static StepCondition UndoesTried(int step) => new(StepConditionKind.UndoesTried, step);

    public bool IsFallback => Kind == StepConditionKind.PreviousFailed;

    /// <summary>Whether the way back also undoes the step when it is the one that failed (unless it changed nothing).</summary>
    public bool UndoesFailedStep => Kind == StepConditionKind.UndoesTried;

    public int? SucceededStep => Kind == StepConditionKind.Succeeded ? Step : null;

    /// <summary>The step a way-back step undoes, or null.</summary>
    public int? UndoesStep => Kind is StepConditionKind.Undoes or StepConditionKind.UndoesTried ? Step : null;

    public override string ToString() => Kind switch
    {
        StepConditionKind.PreviousFailed => PreviousFailedText,
        StepConditionKind.Succeeded => SucceededPrefix + Step.ToString(CultureInfo.InvariantCulture),
        StepConditionKind.Undoes => UndoesPrefix + Step.ToString(CultureInfo.InvariantCulture),
        StepConditionKind.UndoesTried => UndoesTriedPrefix + Step.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>Reads the journal's text form; null for words this version does not know.</summary>
    public static StepCondition? Parse(string? text) =>
        string.IsNullOrEmpty(text) ? Always
        : text == PreviousFailedText ? PreviousFailed
        : text.StartsWith(SucceededPrefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(SucceededPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Succeeded(n)
        : text.StartsWith(UndoesTriedPrefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(UndoesTriedPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? UndoesTried(t)
        : text.StartsWith(UndoesPrefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(UndoesPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? Undoes(u)
        : null;
}
