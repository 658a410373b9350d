using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>The runbook type a rollback gets, why, and the migration state it was read from (null when the environment runs no migrations).</summary>
public sealed record TypeChoice(RollbackType Type, string Reason, MigrationStatus? Status);
