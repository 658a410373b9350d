namespace TeaFleet.Controller.Plans;

/// <summary>
/// What the operator asked to roll back: an optional target ref and services, and for Type 3 the
/// backup (by id, or the newest verified one before a time). Type is 1, 2 or 3 when forced with
/// --type; null lets the planner choose from the migration heads.
/// </summary>
public sealed record RollbackRequest(
    string? To,
    IReadOnlyList<string> Services,
    int? Type = null,
    DateTimeOffset? Before = null,
    string? BackupId = null)
{
    public bool IsFullSystem => Type == 3 || Before is not null || BackupId is not null;
}
