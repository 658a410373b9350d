using System.Text.Json.Serialization;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// What a step produced, typed: read from its result data (the agent's final event, or the controller's
/// own check), which the journal keeps in the step's <c>step_finished</c> record. A later step of the
/// same run reads it from there (a migration's fresh backup is the backup step's <see cref="BackupId"/>).
/// </summary>
public sealed record StepResults(IReadOnlyDictionary<string, string> Data)
{
    public static StepResults None { get; } = new(new Dictionary<string, string>());

    /// <summary>The backup the step took (a backup) or started from (a migration).</summary>
    [JsonIgnore]
    public string? BackupId => Get(OperationResultKeys.BackupId);

    /// <summary>The forensic bundle's directory on the host (a forensic collect).</summary>
    [JsonIgnore]
    public string? BundlePath => Get(OperationResultKeys.BundlePath);

    /// <summary>The safety backup a restore took first.</summary>
    [JsonIgnore]
    public string? SafetyBackupId => Get(OperationResultKeys.SafetyBackupId);

    /// <summary>The database's Alembic head the step read.</summary>
    [JsonIgnore]
    public string? MigrationHead => Get(OperationResultKeys.MigrationHead);

    /// <summary>The agent's step that failed, if the operation failed.</summary>
    [JsonIgnore]
    public string? FailedStep => Get(OperationResultKeys.FailedStep);

    /// <summary>The backups a prune deleted (or would delete).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Deleted => Get(OperationResultKeys.Deleted)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    private string? Get(string key) => Data.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
