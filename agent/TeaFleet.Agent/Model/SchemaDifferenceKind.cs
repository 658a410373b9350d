namespace TeaFleet.Agent.Model;

/// <summary>How the live schema differs from the reference for one object.</summary>
public enum SchemaDifferenceKind
{
    /// <summary>Only in the live schema: a leftover.</summary>
    Extra = 1,

    /// <summary>Only in the reference schema.</summary>
    Missing = 2,

    /// <summary>In both, defined differently.</summary>
    Changed = 3,
}
