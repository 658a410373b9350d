using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.State;

/// <summary>
/// The ports TeaFleet has blocked: state/firewall.json, one record in format version 2 (VersionedJson),
/// {"v":2,"blocks":[{"port":80,"protocol":"tcp","operation_id":"…","blocked_at":"…","before":null},…]}.
/// Replaced whole on every change like lease.json (temporary file, flushed, renamed, the directory
/// fsynced), so kill -9 at any point leaves the old set or the new one. A block is written before
/// ufw's deny runs and removed only after the allow ran: what a block replaced is never lost.
/// </summary>
public sealed class FirewallBlockFile(IOptions<AgentOptions> options, ILogger<FirewallBlockFile> logger)
{
    private readonly Lock _gate = new();

    public string Path { get; } = System.IO.Path.Combine(options.Value.StateDir, "firewall.json");

    /// <summary>The blocks on disk, in port order; none when there is no file (or it cannot be read: logged).</summary>
    public IReadOnlyList<FirewallBlock> Load()
    {
        lock (_gate)
        {
            return Read().Blocks;
        }
    }

    public FirewallBlock? Get(int port) => Load().FirstOrDefault(b => b.Port == port);

    /// <summary>Adds or replaces the block of a port.</summary>
    public void Put(FirewallBlock block)
    {
        lock (_gate)
        {
            Write([.. Read().Blocks.Where(b => b.Port != block.Port), block]);
        }
    }

    public void Remove(int port)
    {
        lock (_gate)
        {
            Write([.. Read().Blocks.Where(b => b.Port != port)]);
        }
    }

    private FirewallBlockSet Read()
    {
        if (!File.Exists(Path))
        {
            return new FirewallBlockSet();
        }

        var text = File.ReadAllText(Path).Trim();
        return text.Length == 0
            ? new FirewallBlockSet()
            : VersionedJson.Read(text, StateJsonContext.Default.FirewallBlockSet, _ => throw new FormatException("firewall.json has no format version 1"), logger, Path)
              ?? throw new InvalidOperationException($"{Path} cannot be read (see the agent's log); it holds the rules TeaFleet's firewall blocks replaced: repair or move it, then retry");
    }

    private void Write(List<FirewallBlock> blocks) =>
        Durable.ReplaceFile(Path, VersionedJson.Format(new FirewallBlockSet { Blocks = [.. blocks.OrderBy(b => b.Port)] }, StateJsonContext.Default.FirewallBlockSet) + "\n");
}
