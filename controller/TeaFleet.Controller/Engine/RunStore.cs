using System.Security.Cryptography;

namespace TeaFleet.Controller.Engine;

/// <summary>The controller's run journals: <c>STATE_DIR/runs/RUN_ID.jsonl</c>.</summary>
public sealed class RunStore(string runsDir)
{
    public string RunsDir { get; } = runsDir;

    /// <summary>A new run id: <c>yyyyMMdd-HHmmss-ENV-xxxx</c> (UTC).</summary>
    public static string NewRunId(string environment, TimeProvider timeProvider) =>
        $"{timeProvider.GetUtcNow():yyyyMMdd-HHmmss}-{environment}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";

    public string PathOf(string runId) => Path.Combine(RunsDir, runId + ".jsonl");

    public RunRecord Get(string runId)
    {
        if (runId.IndexOfAny(['/', '\\']) >= 0 || runId.StartsWith('.'))
        {
            throw FleetException.BadInput($"'{runId}' is not a run id.", "Run ids look like 20250101-120000-staging-ab12; list them with 'teafleet runs'.");
        }

        var path = PathOf(runId);
        return File.Exists(path)
            ? JournalReader.Read(path)
            : throw FleetException.BadInput($"no run '{runId}' in {RunsDir}.", "List runs with 'teafleet runs'.");
    }

    /// <summary>Every readable run, newest first. Unreadable journals are skipped.</summary>
    public IReadOnlyList<RunRecord> List()
    {
        if (!Directory.Exists(RunsDir))
        {
            return [];
        }

        var runs = new List<RunRecord>();
        foreach (var file in Directory.EnumerateFiles(RunsDir, "*.jsonl"))
        {
            try
            {
                runs.Add(JournalReader.Read(file));
            }
            catch (FleetException)
            {
                // A journal that cannot be read is not a run we can use; 'teafleet runs' still lists the others.
            }
            catch (IOException)
            {
            }
        }

        return runs.OrderByDescending(r => r.Started).ThenByDescending(r => r.RunId, StringComparer.Ordinal).ToList();
    }
}
