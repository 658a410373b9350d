namespace TeaFleet.Agent;

/// <summary>The agent idles for days between operations: it keeps no more memory than it uses.</summary>
internal static class AgentMemory
{
    /// <summary>A full, compacting collection that also returns the freed memory to the OS.</summary>
    public static void Trim() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
