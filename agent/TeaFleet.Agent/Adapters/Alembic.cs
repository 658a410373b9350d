using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// The app's Alembic: its migration scripts at a commit (read through git, no Python run) and its
/// command, run in a one-off container of a release's image with a time limit.
/// </summary>
public sealed partial class Alembic(ComposeProject compose, GitRepository git, IOptions<AgentOptions> options)
{
    private AgentOptions Options => options.Value;

    /// <summary>Runs `alembic ARGS` in a one-off container of the commit's image, its output as lines; stopped after Agent:Migrations:TimeoutSeconds.</summary>
    public async Task<ProcessResult> RunAsync(string commit, IReadOnlyList<string> arguments, Action<string> onLine, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Options.Migrations.TimeoutSeconds));
        try
        {
            return await compose.RunOneOffAsync(commit, Options.Migrations.Service, Options.Migrations.Command, arguments, onLine, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"alembic {string.Join(' ', arguments)} took longer than {Options.Migrations.TimeoutSeconds} s (Agent:Migrations:TimeoutSeconds) and was stopped");
        }
    }

    /// <summary>The revisions of a commit's migration scripts (App:MigrationsPath).</summary>
    public async Task<MigrationGraph> GraphAsync(string commit, CancellationToken cancellationToken)
    {
        var scripts = await git.ReadDirectoryAsync(commit, Options.App.MigrationsPath, cancellationToken);
        try
        {
            return MigrationGraph.Parse(scripts.Where(s => s.Name.EndsWith(".py", StringComparison.Ordinal)));
        }
        catch (InvalidDataException e)
        {
            throw AgentException.Precondition($"the migration scripts of {GitRefs.Short(commit)} cannot be read: {e.Message}");
        }
    }

    /// <summary>A commit's migration scripts by the revision each declares (their text, for what they create).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ScriptsAsync(string commit, CancellationToken cancellationToken)
    {
        var scripts = await git.ReadDirectoryAsync(commit, Options.App.MigrationsPath, cancellationToken);
        var byRevision = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in scripts.Where(s => s.Name.EndsWith(".py", StringComparison.Ordinal)))
        {
            if (MigrationGraph.RevisionOf(text) is { } revision)
            {
                byRevision.TryAdd(revision, text);
            }
        }

        return byRevision;
    }

    /// <summary>The revision ids in `alembic current` / `alembic heads` output ("0002_teams (head)").</summary>
    public static IReadOnlyList<string> RevisionOutput(string output) =>
        RevisionLine().Matches(output).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^([0-9A-Za-z_]+)(?: \((?:head|mergepoint|branchpoint|effective head)\))*\s*$", RegexOptions.Multiline)]
    private static partial Regex RevisionLine();
}
