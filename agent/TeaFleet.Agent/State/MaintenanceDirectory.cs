using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.State;

/// <summary>
/// The maintenance page's files in Agent:Maintenance:Directory, which the app's nginx mounts read-only:
/// <c>on</c> (the flag; its JSON is the state, so it survives an agent restart), <c>page.html</c> and
/// <c>pass/ADDRESS</c> (callers that still reach the app). Every write is a temporary file made readable
/// for nginx's worker (0644), fsynced, renamed over the name and the directory fsynced: nginx never sees
/// half a page, and a crash leaves the old file or the new one.
/// </summary>
public sealed class MaintenanceDirectory(IOptions<AgentOptions> options, ILogger<MaintenanceDirectory> logger)
{
    public const string FlagName = "on";
    public const string PageName = "page.html";
    public const string PassDirectoryName = "pass";

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The plain page shown when Agent:Maintenance:PageFile is not set: no incident details, a hint to come back.</summary>
    public const string BuiltInPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Maintenance</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}</style></head>
        <body><h1>Down for maintenance</h1><p>We are working on the application. Please try again in a few minutes.</p></body>
        </html>

        """;

    public string Root => options.Value.Maintenance.Directory;

    public string FlagPath => Path.Combine(Root, FlagName);

    public string PagePath => Path.Combine(Root, PageName);

    public string PassDirectory => Path.Combine(Root, PassDirectoryName);

    /// <summary>The flag's content, or null when the page is off. A flag made by hand (empty or not JSON) counts as on, since its time.</summary>
    public MaintenanceFlag? ReadFlag()
    {
        var info = new FileInfo(FlagPath);
        if (!info.Exists)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(FlagPath);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        try
        {
            if (text.Trim().Length > 0 && JsonSerializer.Deserialize(text, StateJsonContext.Default.MaintenanceFlag) is { } flag)
            {
                return flag;
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning("The maintenance flag {Path} is not TeaFleet's JSON ({Error}); it still counts as on", FlagPath, ex.Message);
        }

        return new MaintenanceFlag { Since = info.LastWriteTimeUtc, Reason = "(flag file made by hand)" };
    }

    /// <summary>The addresses with a pass file, sorted.</summary>
    public IReadOnlyList<string> Passes() =>
        Directory.Exists(PassDirectory)
            ? Directory.EnumerateFiles(PassDirectory).Select(Path.GetFileName).OfType<string>().Where(n => !n.EndsWith(".tmp", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];

    public void WriteFlag(MaintenanceFlag flag) =>
        WriteAtomically(FlagPath, JsonSerializer.Serialize(flag, StateJsonContext.Default.MaintenanceFlag) + "\n");

    public void WritePage(string html) => WriteAtomically(PagePath, html);

    /// <summary>A pass file for an address (parsed here: a name that is not an IP address is never written).</summary>
    public void AddPass(IPAddress address)
    {
        EnsureDirectory(PassDirectory);
        WriteAtomically(Path.Combine(PassDirectory, address.ToString()), "");
    }

    /// <summary>Removes the flag (true when there was one); the directory's removal made durable.</summary>
    public bool RemoveFlag() => Remove(FlagPath);

    /// <summary>Removes every pass file; returns the addresses removed.</summary>
    public IReadOnlyList<string> RemovePasses()
    {
        var passes = Passes();
        foreach (var pass in passes)
        {
            Remove(Path.Combine(PassDirectory, pass));
        }

        return passes;
    }

    private static bool Remove(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        Durable.SyncDirectory(Path.GetDirectoryName(path)!);
        return true;
    }

    private static void EnsureDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            SetMode(path, DirectoryMode);
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private void WriteAtomically(string path, string content)
    {
        EnsureDirectory(Root);
        EnsureDirectory(Path.GetDirectoryName(path)!);
        // Whatever the umask (a systemd unit's UMask=0077): nginx's worker must read it.
        Durable.ReplaceFile(path, content, FileMode);
    }
}
