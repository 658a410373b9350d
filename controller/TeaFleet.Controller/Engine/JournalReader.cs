using System.Text.Json;

namespace TeaFleet.Controller.Engine;

/// <summary>Reads run journals back. A torn last line (a crash mid-write) is ignored; a broken line elsewhere is an error.</summary>
public static class JournalReader
{
    public static RunRecord Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var entries = new List<JournalEntry>();
        var torn = false;
        var lastNonEmpty = Array.FindLastIndex(lines, l => l.Trim().Length > 0);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            try
            {
                var line = LegacyPlanJson.IsLegacy(lines[i]) ? LegacyPlanJson.Upgrade(lines[i]) : lines[i];
                entries.Add(JsonSerializer.Deserialize<JournalEntry>(line, JournalJson.Options)
                    ?? throw new JsonException("null record"));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or FormatException)
            {
                if (i == lastNonEmpty)
                {
                    torn = true;
                    continue;
                }

                throw new FleetException(ExitCodes.BadInput, $"{path}:{i + 1}: the run journal has a broken record ({e.Message}).", "Journals are append-only; restore the file or start a new run.");
            }
        }

        var start = entries.FirstOrDefault(e => e.Type == JournalEntry.RunStarted && e.Plan is not null)
            ?? throw new FleetException(ExitCodes.BadInput, $"{path}: not a run journal (no run_started record).");
        var steps = new Dictionary<int, StepRecord>();
        var attempts = new Dictionary<int, List<StepAttempt>>();
        var lastResult = (StepResult?)null;
        var lastError = (string?)null;
        DateTimeOffset? finished = null;
        IReadOnlyList<string>? down = null;
        var confirmations = new List<Confirmation>();
        foreach (var e in entries)
        {
            switch (e.Type)
            {
                case JournalEntry.StepStarted when e.Step is { } index:
                {
                    var number = e.Attempt ?? 1;
                    var list = AttemptsOf(attempts, index);
                    var sameAttempt = list.Count > 0 && list[^1].Number == number;
                    if (sameAttempt)
                    {
                        // A re-attach to the same operation (or, in journals written before attempts, the same id sent again): one attempt.
                        list[^1] = list[^1] with { OperationId = e.OperationId ?? list[^1].OperationId, Finished = null, Result = null, Message = null, Unconfirmed = false };
                    }
                    else
                    {
                        list.Add(new StepAttempt(number, e.OperationId, e.Time, null, null, null));
                    }

                    steps[index] = new StepRecord(index, e.Host ?? "", e.Operation ?? "", e.OperationId, e.Time, null, null, null,
                        sameAttempt && steps.TryGetValue(index, out var previous) ? previous.LastSequence : 0, null);
                    break;
                }

                case JournalEntry.Event when e.Step is { } index && steps.TryGetValue(index, out var s) && e.Sequence is { } seq:
                    steps[index] = s with { LastSequence = Math.Max(s.LastSequence, seq) };
                    break;
                case JournalEntry.StepFinished when e.Step is { } index && steps.TryGetValue(index, out var s):
                    steps[index] = s with { Finished = e.Time, Result = e.Result, Message = e.Message ?? e.Error, Data = e.Data };
                    if (e.Result != StepResult.Skipped && attempts.TryGetValue(index, out var started))
                    {
                        var at = started.FindLastIndex(a => a.Number == (e.Attempt ?? 1));
                        if (at >= 0)
                        {
                            started[at] = started[at] with { Finished = e.Time, Result = e.Result, Message = e.Message ?? e.Error, Unconfirmed = e.Unconfirmed == true };
                        }
                    }

                    break;
                case JournalEntry.StepFinished when e.Step is { } index && e.Result == StepResult.Skipped:
                    // A step whose condition did not hold ends without having started.
                    steps[index] = new StepRecord(index, e.Host ?? "", e.Operation ?? "", null, e.Time, e.Time, e.Result, e.Message, 0, null);
                    break;
                case JournalEntry.Confirmed when e.Item is { Length: > 0 } item:
                    confirmations.RemoveAll(c => c.Key == item);
                    confirmations.Add(new Confirmation(item, e.Who ?? "", e.Time, e.Message));
                    break;
                case JournalEntry.ServicesRead:
                    down = e.Down ?? [];
                    break;
                case JournalEntry.RunResumed:
                    finished = null;
                    down = null;
                    lastResult = null;
                    lastError = null;
                    break;
                case JournalEntry.RunFinished:
                    finished = e.Time;
                    lastResult = e.Result;
                    lastError = e.Error;
                    break;
            }
        }

        foreach (var (index, list) in attempts)
        {
            steps[index] = steps[index] with { Attempts = list.ToList() };
        }

        return new RunRecord(
            start.RunId ?? Path.GetFileNameWithoutExtension(path),
            path,
            start.Plan!,
            start.Who ?? "",
            start.Flags ?? new RunFlags("", false, false, null, null, null),
            start.Time,
            finished,
            lastResult,
            lastError,
            steps,
            entries,
            torn)
        {
            Down = down,
            Confirmations = confirmations,
        };
    }

    private static List<StepAttempt> AttemptsOf(Dictionary<int, List<StepAttempt>> attempts, int index)
    {
        if (!attempts.TryGetValue(index, out var list))
        {
            list = [];
            attempts[index] = list;
        }

        return list;
    }
}
