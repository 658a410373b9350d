using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.State;

/// <summary>
/// Every switch of services to a release, as it happened: state/ledger.jsonl holds a full snapshot
/// of a release each time it changes; the last snapshot of an id wins. Releases still in progress
/// when the agent starts were cut short by a crash and are marked interrupted. Lines are written in
/// format version 2 (VersionedJson); version 1 lines (protobuf JSON) written by older agents still read.
/// </summary>
public sealed class ReleaseLedger : IDisposable
{
    private readonly JsonLinesFile _file;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, Release> _releases = [];
    private readonly TimeProvider _time;

    public ReleaseLedger(IOptions<AgentOptions> options, TimeProvider time, ILogger<ReleaseLedger> logger)
    {
        _time = time;
        var path = System.IO.Path.Combine(options.Value.StateDir, "ledger.jsonl");
        foreach (var line in JsonLinesFile.ReadLines(path))
        {
            if (VersionedJson.Read(line, StateJsonContext.Default.Release, LegacyFormat.Release, logger, path) is { } release)
            {
                _releases[release.Id] = release;
            }
        }

        _file = new JsonLinesFile(path);
        foreach (var release in _releases.Values.Where(r => r.Result == ReleaseResult.InProgress).ToList())
        {
            Write(release with
            {
                Result = ReleaseResult.Interrupted,
                EndedAt = _time.GetUtcNow(),
                Message = "the agent stopped while this release was being switched",
            });
        }
    }

    public string Path => _file.Path;

    public Release Begin(Release draft)
    {
        lock (_gate)
        {
            var release = draft with
            {
                Id = _releases.Count == 0 ? 1 : _releases.Keys.Max() + 1,
                Result = ReleaseResult.InProgress,
                StartedAt = _time.GetUtcNow(),
            };
            Write(release);
            return release;
        }
    }

    public Release Finish(long id, ReleaseResult result, string message, Func<Release, Release>? update = null)
    {
        lock (_gate)
        {
            var release = _releases[id];
            release = (update?.Invoke(release) ?? release) with
            {
                Result = result,
                Message = message,
                EndedAt = _time.GetUtcNow(),
            };
            Write(release);
            return release;
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<Release> List(int limit)
    {
        lock (_gate)
        {
            return _releases.Values.Reverse().Take(limit).ToList();
        }
    }

    /// <summary>The newest release that succeeded: what runs now.</summary>
    public Release? Current()
    {
        lock (_gate)
        {
            return _releases.Values.Reverse().FirstOrDefault(r => r.Result == ReleaseResult.Succeeded);
        }
    }

    /// <summary>Commits of the newest succeeded releases, newest first, without repeats.</summary>
    public IReadOnlyList<string> RecentCommits(int count)
    {
        lock (_gate)
        {
            return _releases.Values.Reverse()
                .Where(r => r.Result == ReleaseResult.Succeeded)
                .Select(r => r.Commit)
                .Distinct(StringComparer.Ordinal)
                .Take(count)
                .ToList();
        }
    }

    public void Dispose() => _file.Dispose();

    private void Write(Release release)
    {
        _file.Append(VersionedJson.Format(release, StateJsonContext.Default.Release), durable: true);
        _releases[release.Id] = release;
    }
}
