using System.Text.Json.Serialization;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// A runbook procedure as data: the steps per host, in order, plus what it switches from and to.
/// It is printed by <c>teafleet plan</c>, journaled at the start of a run and replayed by <c>resume</c>.
/// </summary>
public sealed record Plan(
    PlanKind Kind,
    RollbackType Type,
    string Environment,
    string TargetCommit,
    IReadOnlyList<string> TargetTags,
    IReadOnlyList<string> Services,
    IReadOnlyDictionary<string, string> CurrentCommits,
    IReadOnlyList<PlanStep> Steps,
    string? Note = null,
    string? TypeReason = null,
    DateTimeOffset? DataLossSince = null,
    IReadOnlyList<string>? Warnings = null)
{
    /// <summary>The runbook procedure the plan comes from (found again by kind and type when the plan is read from a journal).</summary>
    [JsonIgnore]
    public IProcedure Procedure => Procedures.Of(Kind, Type);

    /// <summary>Whether the plan switches code (deploy, rollback) rather than only touching the database.</summary>
    public bool SwitchesCode => Procedure.SwitchesCode;

    /// <summary>Plans production runs only after staging rehearsed them (the drill gate).</summary>
    public bool NeedsDrill => Procedure.NeedsDrill;

    /// <summary>What the plan does, in a few words: "rollback to 1a2b3c4 (services: backend)", "restore of a database backup".</summary>
    public string What => Procedure.What(this);

    public bool NothingToDo => Steps.Count == 0;

    /// <summary>The services in words: the names, or "all release services" when none are named.</summary>
    public string ServicesText => PlanStep.ServicesText(Services);

    /// <summary>What makes two plans "the same" for the drill gate: kind, type, target commit and sorted services.</summary>
    public string DrillKey =>
        $"{Kind.Word()}|type{(int)Type}|{TargetCommit}|{(Services.Count == 0 ? "*" : string.Join(",", Services.Order(StringComparer.Ordinal)))}";
}
