using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.State;

/// <summary>
/// The environment lease of this host: state/lease.json, one record in format version 2
/// (VersionedJson). Replaced whole on every change: written to lease.json.tmp, flushed to disk,
/// renamed over lease.json, and the rename made durable by fsyncing the directory, so kill -9 at any
/// point leaves either the old lease or the new one, never a torn one. A released lease stays in the
/// file (with released_at) so status can say who held it last.
/// </summary>
public sealed class LeaseFile(IOptions<AgentOptions> options, ILogger<LeaseFile> logger)
{
    public string Path { get; } = System.IO.Path.Combine(options.Value.StateDir, "lease.json");

    /// <summary>The lease on disk; null when there is none (or its line cannot be read: logged).</summary>
    public Lease? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var text = File.ReadAllText(Path).Trim();
        return text.Length == 0
            ? null
            : VersionedJson.Read(text, StateJsonContext.Default.Lease, _ => throw new FormatException("a lease has no format version 1"), logger, Path);
    }

    public void Save(Lease lease) =>
        Durable.ReplaceFile(Path, VersionedJson.Format(lease, StateJsonContext.Default.Lease) + "\n");
}
