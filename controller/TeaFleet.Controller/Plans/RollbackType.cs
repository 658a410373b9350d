namespace TeaFleet.Controller.Plans;

/// <summary>The runbook's rollback types (ROLLBACK.md). This version plans Type 1; Type 2 and 3 plug in as more steps.</summary>
public enum RollbackType
{
    /// <summary>Not a rollback (a deploy).</summary>
    None = 0,

    /// <summary>Type 1: code only, no database changes.</summary>
    CodeOnly = 1,

    /// <summary>Type 2: code and database (migrations downgraded). Planned by a later version.</summary>
    CodeAndDatabase = 2,

    /// <summary>Type 3: full system restore from a backup. Planned by a later version.</summary>
    FullSystem = 3,
}
