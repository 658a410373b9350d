using System.Globalization;
using System.Text.Json.Serialization;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// When a step runs: always; only when the step before it failed (a fallback: "complete it, else
/// downgrade, else restore"); or only when step N of the run succeeded. Journaled and printed as
/// "", "previous-failed" and "succeeded:N".
/// </summary>
[JsonConverter(typeof(StepConditionJsonConverter))]
public sealed record StepCondition
{
    private const string PreviousFailedText = "previous-failed";
    private const string SucceededPrefix = "succeeded:";

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

    public bool IsFallback => Kind == StepConditionKind.PreviousFailed;

    public int? SucceededStep => Kind == StepConditionKind.Succeeded ? Step : null;

    public override string ToString() => Kind switch
    {
        StepConditionKind.PreviousFailed => PreviousFailedText,
        StepConditionKind.Succeeded => SucceededPrefix + Step.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>Reads the journal's text form; null for words this version does not know.</summary>
    public static StepCondition? Parse(string? text) =>
        string.IsNullOrEmpty(text) ? Always
        : text == PreviousFailedText ? PreviousFailed
        : text.StartsWith(SucceededPrefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(SucceededPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Succeeded(n)
        : null;
}
