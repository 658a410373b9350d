using System.Text;
using System.Text.Json;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Appends records to a run's journal: one JSON object per line, flushed to disk (fsync) after each, so a
/// crash leaves at most a torn last line, which the reader ignores.
/// </summary>
public sealed class RunJournal : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    private RunJournal(string runId, string path, FileStream stream)
    {
        RunId = runId;
        Path = path;
        _stream = stream;
    }

    public string RunId { get; }

    public string Path { get; }

    public static RunJournal Create(string runsDir, string runId)
    {
        Directory.CreateDirectory(runsDir);
        var path = System.IO.Path.Combine(runsDir, runId + ".jsonl");
        return new RunJournal(runId, path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read));
    }

    /// <summary>Opens an existing journal to append to it (resume). A torn last line (a crash mid-write) is cut off first.</summary>
    public static RunJournal Append(string path, string runId)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var keep = stream.Length;
        while (keep > 0)
        {
            stream.Seek(keep - 1, SeekOrigin.Begin);
            if (stream.ReadByte() == '\n')
            {
                break;
            }

            keep--;
        }

        stream.SetLength(keep);
        stream.Seek(0, SeekOrigin.End);
        return new RunJournal(runId, path, stream);
    }

    public void Write(JournalEntry entry)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry with { RunId = entry.RunId ?? RunId }, JournalJson.Options) + "\n");
        lock (_gate)
        {
            _stream.Write(bytes);
            _stream.Flush(flushToDisk: true);
        }
    }

    public void Dispose() => _stream.Dispose();
}
