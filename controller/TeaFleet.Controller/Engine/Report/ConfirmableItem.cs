namespace TeaFleet.Controller.Engine;

/// <summary>
/// A checklist item only a person can close: its key on the command line ('teafleet confirm RUN KEY') and the
/// item as the runbook words it. <see cref="RunbookChecklist.Confirmable"/> says which a run has.
/// </summary>
public sealed record ConfirmableItem(string Key, string Item);
