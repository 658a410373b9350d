using System.Text;

namespace TeaFleet.Agent.State;

/// <summary>
/// An append-only file of one record per line. A record reaches the kernel before Append returns
/// (so kill -9 loses nothing already appended) and, when durable, the disk too. A torn last line
/// left by a crash is skipped when read.
/// </summary>
public sealed class JsonLinesFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    public JsonLinesFile(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        // A crash may have left a torn line without its newline: start ours on a fresh line.
        if (_stream.Length > 0 && !EndsWithNewline(path))
        {
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: true);
        }
    }

    public string Path { get; }

    public void Append(string line, bool durable)
    {
        if (line.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A record must be one line.", nameof(line));
        }

        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_gate)
        {
            _stream.Write(bytes);
            _stream.Flush(flushToDisk: durable);
        }
    }

    /// <summary>Every complete line of the file; a torn last line (no newline) is left out.</summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        string text;
        using (var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)))
        {
            text = reader.ReadToEnd();
        }

        var end = text.LastIndexOf('\n');
        if (end < 0)
        {
            yield break;
        }

        foreach (var line in text[..end].Split('\n'))
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    private static bool EndsWithNewline(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0)
        {
            return true;
        }

        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }
}
