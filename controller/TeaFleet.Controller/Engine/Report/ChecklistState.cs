namespace TeaFleet.Controller.Engine;

/// <summary>Where an item of the runbook's rollback checklist stands in a report.</summary>
public enum ChecklistState
{
    /// <summary>Not done, or nothing has shown it yet: the person closing the incident ticks it.</summary>
    NotDone = 0,

    /// <summary>Checked by the controller or an agent during the run (the evidence says how).</summary>
    Verified = 1,

    /// <summary>Confirmed by a person or an outside record (the evidence says who or what).</summary>
    Confirmed = 2,
}
