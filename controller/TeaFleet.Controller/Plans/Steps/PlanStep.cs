using System.Text.Json.Serialization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// One step of a plan: where it runs, how its success is verified, whether it destroys anything, what to
/// do when it fails, and when it runs. What it does is its type: a closed set of records, one per
/// operation, journaled with the operation name as the type discriminator ("operation").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "operation")]
[JsonDerivedType(typeof(RecreateServicesStep), OperationKinds.ServicesRecreate)]
[JsonDerivedType(typeof(StopServicesStep), OperationKinds.ServicesStop)]
[JsonDerivedType(typeof(StartServicesStep), OperationKinds.ServicesStart)]
[JsonDerivedType(typeof(BackupStep), OperationKinds.DatabaseBackup)]
[JsonDerivedType(typeof(VerifyBackupStep), OperationKinds.DatabaseVerify)]
[JsonDerivedType(typeof(PruneBackupsStep), OperationKinds.DatabasePrune)]
[JsonDerivedType(typeof(RestoreStep), OperationKinds.DatabaseRestore)]
[JsonDerivedType(typeof(CheckMigrationsStep), OperationKinds.MigrationsCheck)]
[JsonDerivedType(typeof(UpgradeStep), OperationKinds.MigrationsUpgrade)]
[JsonDerivedType(typeof(DowngradeStep), OperationKinds.MigrationsDowngrade)]
[JsonDerivedType(typeof(RenderDowngradeStep), OperationKinds.MigrationsRender)]
[JsonDerivedType(typeof(RepairLeftoversStep), OperationKinds.MigrationsRepairLeftovers)]
[JsonDerivedType(typeof(CheckDatabaseStep), OperationKinds.DatabaseCheck)]
[JsonDerivedType(typeof(HealthCheckStep), OperationKinds.HealthCheck)]
[JsonDerivedType(typeof(SmokeTestStep), OperationKinds.SmokeTest)]
[JsonDerivedType(typeof(BlockTrafficStep), OperationKinds.FirewallBlock)]
[JsonDerivedType(typeof(AllowTrafficStep), OperationKinds.FirewallAllow)]
[JsonDerivedType(typeof(FlushQueueStep), OperationKinds.QueueFlush)]
[JsonDerivedType(typeof(EnableMaintenanceStep), OperationKinds.MaintenanceEnable)]
[JsonDerivedType(typeof(DisableMaintenanceStep), OperationKinds.MaintenanceDisable)]
[JsonDerivedType(typeof(MonitorStep), OperationKinds.Monitor)]
[JsonDerivedType(typeof(CollectForensicsStep), OperationKinds.ForensicsCollect)]
public abstract record PlanStep
{
    /// <summary>The host of steps the controller does itself (no agent, no operation id), e.g. the environment-wide health check.</summary>
    public const string ControllerHost = "controller";

    public required int Index { get; init; }

    public required string Host { get; init; }

    public required string Verification { get; init; }

    public bool Destructive { get; init; }

    public required string OnFailure { get; init; }

    public StepCondition RunsIf { get; init; } = StepCondition.Always;

    /// <summary>
    /// A guard on top of <see cref="RunsIf"/>: the step runs only if step N succeeded in this run (e.g. a
    /// way back that switches code back only once a check found the database unchanged). Null: no guard.
    /// </summary>
    public int? Requires { get; init; }

    /// <summary>The operation's name (<see cref="OperationKinds"/>), as the journal and the output spell it.</summary>
    [JsonIgnore]
    public string Operation => OperationName;

    /// <summary>Whether the step is an agent operation (it gets an operation id, RUN_ID.STEP.HOST).</summary>
    [JsonIgnore]
    public bool RunsOnAgent => this is AgentStep && Host != ControllerHost;

    [JsonIgnore]
    public bool IsFallback => RunsIf.IsFallback;

    /// <summary>The step this one depends on (runs only if it succeeded), or null.</summary>
    [JsonIgnore]
    public int? RunsIfSucceeded => RunsIf.SucceededStep;

    /// <summary>The step this one undoes when the run fails (its way back), or null for a forward step.</summary>
    [JsonIgnore]
    public int? Undoes => RunsIf.UndoesStep;

    /// <summary>The step's arguments as the plan printout shows them, in order ("services", "commit", ...).</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> DescribeArguments();

    /// <summary>Text for a services list: the names, or what none means (each host's release services).</summary>
    public static string ServicesText(IReadOnlyList<string> services) => services.Count == 0 ? AllReleaseServices : string.Join(",", services);

    /// <summary>What an empty services list means, in words: every host acts on its release services (the app, not its data services).</summary>
    public const string AllReleaseServices = "all release services";

    /// <summary>The operation's name, from <see cref="OperationKinds"/> (also the step's JSON discriminator).</summary>
    protected abstract string OperationName { get; }

    protected static KeyValuePair<string, string> Arg(string key, string value) => new(key, value);
}
