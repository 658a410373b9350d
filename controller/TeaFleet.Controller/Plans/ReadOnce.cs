using System.Collections.Concurrent;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Reads kept by key, each started at most once, whoever asks first: later asks share its task.
/// ConcurrentDictionary.GetOrAdd alone may run its factory twice when two threads ask at once (a second
/// call to an agent, of which one answer is dropped); the Lazy it stores instead runs once.
/// </summary>
public sealed class ReadOnce<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> _reads = new(comparer);

    /// <summary>The read of <paramref name="key"/>, started by <paramref name="read"/> if nobody has started it yet.</summary>
    public Task<TValue> Get(TKey key, Func<TKey, Task<TValue>> read) =>
        _reads.GetOrAdd(key, k => new Lazy<Task<TValue>>(() => read(k))).Value;
}
