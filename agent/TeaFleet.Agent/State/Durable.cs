using System.Runtime.InteropServices;
using System.Text;

namespace TeaFleet.Agent.State;

/// <summary>
/// Files replaced so that a crash leaves either the old content or the new, never half of one: written to a
/// temporary file, flushed to disk, renamed over the old, the rename made durable by fsyncing the directory
/// (what .NET has no API for).
/// </summary>
internal static partial class Durable
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> (UTF-8), creating its directory; <paramref name="mode"/> set before the rename when given (whatever the umask).</summary>
    public static void ReplaceFile(string path, string content, UnixFileMode? mode = null)
    {
        var dir = Path.GetDirectoryName(path)!;
        System.IO.Directory.CreateDirectory(dir);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }

        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, m);
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectory(dir);
    }

    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux

    public static void SyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to make a rename durable (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
