using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.State;

/// <summary>
/// Every switch of services to a release, as it happened: state/ledger.jsonl holds a full snapshot
/// of a release each time it changes; the last snapshot of an id wins. Releases still in progress
/// when the agent starts were cut short by a crash and are marked interrupted.
/// </summary>
public sealed class ReleaseLedger : IDisposable
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

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
            try
            {
                var release = Parser.Parse<Release>(line);
                _releases[release.Id] = release;
            }
            catch (InvalidProtocolBufferException ex)
            {
                logger.LogWarning(ex, "Skipping an unreadable ledger line in {Path}", path);
            }
        }

        _file = new JsonLinesFile(path);
        foreach (var release in _releases.Values.Where(r => r.Result == ReleaseResult.InProgress).ToList())
        {
            var interrupted = release.Clone();
            interrupted.Result = ReleaseResult.Interrupted;
            interrupted.EndedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
            interrupted.Message = "the agent stopped while this release was being switched";
            Write(interrupted);
        }
    }

    public string Path => _file.Path;

    public Release Begin(Release draft)
    {
        lock (_gate)
        {
            var release = draft.Clone();
            release.Id = _releases.Count == 0 ? 1 : _releases.Keys.Max() + 1;
            release.Result = ReleaseResult.InProgress;
            release.StartedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
            Write(release);
            return release.Clone();
        }
    }

    public Release Finish(long id, ReleaseResult result, string message, Action<Release>? update = null)
    {
        lock (_gate)
        {
            var release = _releases[id].Clone();
            update?.Invoke(release);
            release.Result = result;
            release.Message = message;
            release.EndedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
            Write(release);
            return release.Clone();
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<Release> List(int limit)
    {
        lock (_gate)
        {
            return _releases.Values.Reverse().Take(limit).Select(r => r.Clone()).ToList();
        }
    }

    /// <summary>The newest release that succeeded: what runs now.</summary>
    public Release? Current()
    {
        lock (_gate)
        {
            return _releases.Values.Reverse().FirstOrDefault(r => r.Result == ReleaseResult.Succeeded)?.Clone();
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
        _file.Append(JsonFormatter.Default.Format(release), durable: true);
        _releases[release.Id] = release;
    }
}
