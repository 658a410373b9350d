using Grpc.Core;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary><c>database.backup</c>: Database.CreateBackup on the environment's database host (argument kind: quick, full, forensic, scheduled).</summary>
public sealed class BackupStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.DatabaseBackup;

    public static BackupKind KindOf(string? name) => name switch
    {
        null or "" or "quick" => BackupKind.Quick,
        "full" => BackupKind.Full,
        "forensic" => BackupKind.Forensic,
        "scheduled" => BackupKind.Scheduled,
        _ => throw FleetException.BadInput($"backup kind '{name}' is not one of quick, full, forensic, scheduled."),
    };

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.CreateBackup(new CreateBackupRequest
        {
            Header = header,
            Kind = KindOf(context.Step.Arguments.GetValueOrDefault("kind")),
        }, options);
}

/// <summary><c>database.restore</c>: Database.Restore of a catalogued backup (verify, safety backup, restore, check).</summary>
public sealed class RestoreStepExecutor(AgentPool agents, OperationFollower follower, TimeProvider timeProvider)
    : AgentStepExecutor(agents, follower, timeProvider)
{
    public override string Operation => PlanOperations.DatabaseRestore;

    protected override AsyncServerStreamingCall<OperationEvent> Start(AgentConnection agent, StepContext context, OperationHeader header, CallOptions options) =>
        agent.Database.Restore(new RestoreRequest { Header = header, BackupId = context.Step.Arguments["backup"] }, options);
}
