using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

/// <summary>A plan's reads of an agent start once per key, however many parts of the plan ask at the same moment.</summary>
public sealed class ReadOnceTests
{
    [Fact]
    public async Task Many_asking_at_once_start_one_read_and_share_its_answer()
    {
        var reads = new ReadOnce<string, int>(StringComparer.Ordinal);
        var started = 0;
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var go = new Barrier(8);

        var got = new System.Collections.Concurrent.ConcurrentBag<Task<int>>();
        var askers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            go.SignalAndWait(TestContext.Current.CancellationToken);
            got.Add(reads.Get("staging-1", _ =>
            {
                Interlocked.Increment(ref started);
                Thread.Sleep(20); // widen the window in which a second factory call would happen
                return answer.Task;
            }));
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(askers);
        answer.SetResult(42);

        Assert.Equal(1, started);
        Assert.Equal(8, got.Count);
        Assert.All(await Task.WhenAll(got), a => Assert.Equal(42, a));
        Assert.Equal(42, await reads.Get("staging-1", _ => throw new InvalidOperationException("read again")));
        Assert.Equal(7, await reads.Get("prod-1", _ => Task.FromResult(7)));
    }
}
