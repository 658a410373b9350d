namespace TeaFleet.Controller.Plans;

/// <summary>
/// A runbook procedure as data: the steps per host, in order, plus what it switches from and to.
/// It is printed by <c>teafleet plan</c>, journaled at the start of a run and replayed by <c>resume</c>.
/// </summary>
public sealed record Plan(
    string Kind,
    RollbackType Type,
    string Environment,
    string TargetCommit,
    IReadOnlyList<string> TargetTags,
    IReadOnlyList<string> Services,
    IReadOnlyDictionary<string, string> CurrentCommits,
    IReadOnlyList<PlanStep> Steps,
    string? Note = null,
    string? TypeReason = null,
    DateTimeOffset? DataLossSince = null)
{
    /// <summary>What the services argument says when none are named: each host switches its release services (the app, not its data services).</summary>
    public const string DefaultServices = "release-services";

    public const string RollbackKind = "rollback";
    public const string DeployKind = "deploy";
    public const string BackupKind = "backup";
    public const string VerifyKind = "verify";
    public const string PruneKind = "prune";
    public const string RestoreKind = "restore";
    public const string RepairKind = "repair";

    /// <summary>Whether the plan switches code (deploy, rollback) rather than only touching the database.</summary>
    public bool SwitchesCode => Kind is RollbackKind or DeployKind;

    /// <summary>Plans production runs only after staging rehearsed them (the drill gate).</summary>
    public bool NeedsDrill => Kind is RollbackKind or RestoreKind or RepairKind;

    /// <summary>What the plan does, in a few words: "rollback to 1a2b3c4 (services: backend)", "restore of a database backup".</summary>
    public string What => SwitchesCode
        ? $"{Kind} to {TeaFleet.Shared.GitRefs.Short(TargetCommit)} (services: {ServicesText})"
        : Kind == RestoreKind ? "restore of a database backup"
        : Kind == RepairKind ? "repair of a migration that failed half-way (runbook scenario 2)"
        : Kind == VerifyKind ? "verification of a database backup"
        : Kind == PruneKind ? "retention prune of the database's backups"
        : $"{Kind} of the database";

    public bool NothingToDo => Steps.Count == 0;

    public string ServicesText => Services.Count == 0 ? DefaultServices : string.Join(",", Services);

    /// <summary>What makes two plans "the same" for the drill gate: kind, type, target commit and sorted services.</summary>
    public string DrillKey =>
        $"{Kind}|type{(int)Type}|{TargetCommit}|{(Services.Count == 0 ? "*" : string.Join(",", Services.Order(StringComparer.Ordinal)))}";
}
