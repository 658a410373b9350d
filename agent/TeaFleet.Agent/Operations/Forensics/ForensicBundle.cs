using System.Security.Cryptography;
using System.Text;

namespace TeaFleet.Agent.Operations.Forensics;

/// <summary>
/// A bundle directory being written: created 0700 (its subdirectories too), every file created 0600 before a
/// byte is written (never readable by others, not even for a moment), each file's size and sha256 kept for
/// the manifest as it is written.
/// </summary>
public sealed class ForensicBundle
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const string ManifestName = "manifest.json";

    private readonly List<ForensicFile> _files = [];

    private ForensicBundle(string path) => Path = path;

    public string Path { get; }

    public IReadOnlyList<ForensicFile> Files => _files;

    /// <summary>Creates the bundle's directory (and its parent) 0700; an existing one is refused (a bundle is never written twice).</summary>
    public static ForensicBundle Create(string parent, string name)
    {
        CreateDirectory(parent);
        var path = System.IO.Path.Combine(parent, name);
        if (Directory.Exists(path))
        {
            throw AgentException.Precondition($"the forensic bundle {path} exists already; a bundle is never written twice");
        }

        CreateDirectory(path);
        return new ForensicBundle(path);
    }

    /// <summary>Copies a file byte for byte into the bundle; returns its size. The content is never read for anything but the copy and its hash.</summary>
    public async Task<long> CopyAsync(string source, string relative, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, System.IO.FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await WriteAsync(relative, input.CopyToAsync, cancellationToken);
    }

    /// <summary>Writes text lines (UTF-8, newline after each) as a file of the bundle; returns its size.</summary>
    public Task<long> WriteLinesAsync(string relative, IAsyncEnumerable<string> lines, CancellationToken cancellationToken) =>
        WriteAsync(relative, async (stream, ct) =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            await foreach (var line in lines.WithCancellation(ct))
            {
                await writer.WriteAsync(line);
                await writer.WriteAsync('\n');
            }
        }, cancellationToken);

    /// <summary>Writes bytes as a file of the bundle; returns its size.</summary>
    public Task<long> WriteBytesAsync(string relative, byte[] bytes, CancellationToken cancellationToken) =>
        WriteAsync(relative, async (stream, ct) => await stream.WriteAsync(bytes, ct), cancellationToken);

    /// <summary>The manifest itself: written last, 0600, not listed in itself; returns its sha256.</summary>
    public async Task<string> WriteManifestAsync(byte[] json, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(Path, ManifestName);
        await using (var file = Open(path))
        {
            await file.WriteAsync(json, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        SetMode(path, FileMode);
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }

    private async Task<long> WriteAsync(string relative, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative));
        if (!path.StartsWith(Path + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{relative}' is not inside the bundle");
        }

        // Each directory between the bundle and the file 0700 (CreateDirectory's mode reaches only the last one it makes).
        var dir = Path;
        foreach (var part in System.IO.Path.GetRelativePath(Path, System.IO.Path.GetDirectoryName(path)!).Split(System.IO.Path.DirectorySeparatorChar).Where(p => p != "."))
        {
            dir = System.IO.Path.Combine(dir, part);
            CreateDirectory(dir);
        }

        long size;
        string sha256;
        await using (var file = Open(path))
        {
            using var hashing = new HashingStream(file);
            await write(hashing, cancellationToken);
            await hashing.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
            (size, sha256) = (hashing.Length, hashing.Sha256());
        }

        // The mode is set at creation (UnixCreateMode); again here in case a umask took bits away from it.
        SetMode(path, FileMode);
        _files.Add(new ForensicFile(System.IO.Path.GetRelativePath(Path, path), size, sha256));
        return size;
    }

    private static FileStream Open(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode);
        SetMode(path, DirectoryMode);
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
