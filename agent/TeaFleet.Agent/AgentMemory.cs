using System.Runtime.InteropServices;

namespace TeaFleet.Agent;

/// <summary>The agent idles for days between operations: it keeps no more memory than it uses.</summary>
internal static partial class AgentMemory
{
    private static int _noMallocTrim;

    /// <summary>
    /// A full, compacting collection that also returns the freed memory to the OS; then glibc's heap is
    /// trimmed too. What the native side freed (OpenSSL's buffers of a TLS connection, the runtime's own
    /// allocations on the threads an operation used) stays in glibc's per-thread arenas otherwise, resident
    /// until those arenas are reused. On a libc without malloc_trim (musl) only the collection runs.
    /// </summary>
    public static void Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (Volatile.Read(ref _noMallocTrim) == 0)
        {
            try
            {
                MallocTrim(0);
            }
            catch (EntryPointNotFoundException)
            {
                Volatile.Write(ref _noMallocTrim, 1);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
