using System.Text.Json.Serialization;

namespace TeaFleet.Agent;

/// <summary>The agent's own memory, for a monitor that watches its footprint on a small host.</summary>
public sealed record MemoryReport(
    [property: JsonPropertyName("resident_bytes")] long ResidentBytes,
    [property: JsonPropertyName("gc_heap_bytes")] long GcHeapBytes,
    [property: JsonPropertyName("gc_committed_bytes")] long GcCommittedBytes,
    [property: JsonPropertyName("gc_fragmented_bytes")] long GcFragmentedBytes,
    [property: JsonPropertyName("threads")] int Threads)
{
    public static MemoryReport Now()
    {
        var gc = GC.GetGCMemoryInfo();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new MemoryReport(Environment.WorkingSet, gc.HeapSizeBytes, gc.TotalCommittedBytes, gc.FragmentedBytes, self.Threads.Count);
    }
}
