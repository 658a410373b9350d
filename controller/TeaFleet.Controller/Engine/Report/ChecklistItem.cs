namespace TeaFleet.Controller.Engine;

/// <summary>
/// One item of the runbook's "Rollback Checklist" in a report: the item as the runbook words it, where it
/// stands, and the evidence (how it was verified, or for an item not done, what stands in its way).
/// The renderers draw whatever list <see cref="RunbookChecklist"/> gives them.
/// </summary>
public sealed record ChecklistItem(string Item, ChecklistState State, string? Evidence = null)
{
    public bool Done => State != ChecklistState.NotDone;
}
