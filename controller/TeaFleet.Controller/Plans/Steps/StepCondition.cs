using System.Globalization;
using System.Text.Json.Serialization;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// When a step runs: always; only when the step before it failed (a fallback: "complete it, else
/// downgrade, else restore"); only when step N of the run succeeded; or, as the run's way back, only
/// after the run failed and only if step N (which it undoes, e.g. a stop) had succeeded. Journaled and
/// printed as "", "previous-failed", "succeeded:N" and "undoes:N".
/// </summary>
[JsonConverter(typeof(StepConditionJsonConverter))]
public sealed record StepCondition
{
    private const string PreviousFailedText = "previous-failed";
    private const string SucceededPrefix = "succeeded:";
    private const string UndoesPrefix = "undoes:";

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

    public bool IsFallback => Kind == StepConditionKind.PreviousFailed;

    public int? SucceededStep => Kind == StepConditionKind.Succeeded ? Step : null;

    /// <summary>The step a way-back step undoes, or null.</summary>
    public int? UndoesStep => Kind == StepConditionKind.Undoes ? Step : null;

    public override string ToString() => Kind switch
    {
        StepConditionKind.PreviousFailed => PreviousFailedText,
        StepConditionKind.Succeeded => SucceededPrefix + Step.ToString(CultureInfo.InvariantCulture),
        StepConditionKind.Undoes => UndoesPrefix + Step.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>Reads the journal's text form; null for words this version does not know.</summary>
    public static StepCondition? Parse(string? text) =>
        string.IsNullOrEmpty(text) ? Always
        : text == PreviousFailedText ? PreviousFailed
        : text.StartsWith(SucceededPrefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(SucceededPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Succeeded(n)
        : text.StartsWith(UndoesPrefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(UndoesPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? Undoes(u)
        : null;
}
