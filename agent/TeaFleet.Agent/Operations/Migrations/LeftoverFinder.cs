using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>
/// What a downgrade left behind (a read): the live schema (pg_dump --schema-only) against the schema
/// the database had when it was last at its current head (pg_restore --schema-only of the backup
/// <see cref="ReferenceChoice"/> picks), compared object by object (<see cref="SchemaComparer"/>).
/// Given a target commit, a leftover whose name the target's migrations between the database's head
/// and the target's head mention is marked as colliding with them.
/// </summary>
public sealed class LeftoverFinder(
    OperationManager operations,
    PostgresDatabase database,
    BackupCatalogue catalogue,
    ProcessRunner runner,
    GitRepository git,
    Alembic alembic,
    LiveCodeFinder finder,
    IOptions<AgentOptions> options)
{
    private AgentOptions Options => options.Value;

    public async Task<LeftoverReport> FindAsync(string target, Action<string>? onLine, CancellationToken ct)
    {
        finder.EnsureConfigured();
        var heads = await database.MigrationHeadsAsync(ct);
        var report = new LeftoverReport { Host = Options.HostName, DatabaseHeads = heads };
        if (heads.Count == 0)
        {
            return report with { Reason = "the database has no alembic_version: there is no head to compare at" };
        }

        var head = string.Join(",", heads);
        var downgrade = await LastDowngradeToAsync(operations, head, ct);
        var choice = ReferenceChoice.Choose(head, catalogue.List(), downgrade is null ? [] : [downgrade]);
        report = report with { DowngradeOperationId = choice.Downgrade?.OperationId ?? "", Reason = choice.Reason };
        if (choice.Backup is not { } reference)
        {
            return report;
        }

        var path = catalogue.PathOf(reference);
        if (!File.Exists(path))
        {
            return report with { Reason = $"the reference backup {reference.Id} ({choice.Reason}) has no file in {catalogue.BackupDir}: nothing to compare with" };
        }

        string referenceSchema, liveSchema;
        try
        {
            referenceSchema = await ReadAsync(database.Tool("pg_restore"), ["--schema-only", "--no-owner", "--no-privileges", "-f", "-", path], onLine, ct);
            liveSchema = await ReadAsync(database.Tool("pg_dump"), ["--schema-only", "--no-owner", "--no-privileges"], onLine, ct);
        }
        catch (ProcessFailedException ex)
        {
            throw AgentException.Precondition($"cannot read the schemas to compare: {ex.Message}");
        }

        var differences = SchemaComparer.Compare(SchemaDump.Parse(referenceSchema), SchemaDump.Parse(liveSchema));
        report = report with
        {
            Compared = true,
            ReferenceBackupId = reference.Id,
            ReferenceTakenAt = reference.TakenAt,
            Differences = differences,
        };
        return string.IsNullOrWhiteSpace(target) ? report : await WithCollisionsAsync(report, head, target.Trim(), ct);
    }

    /// <summary>Marks the leftovers the target's migrations (those an upgrade from the database's head applies) name.</summary>
    private async Task<LeftoverReport> WithCollisionsAsync(LeftoverReport report, string head, string target, CancellationToken ct)
    {
        var commit = await git.ResolveAsync(target, ct)
            ?? throw AgentException.NotFound($"the app checkout on {Options.HostName} has no commit or tag '{target}'");
        var revisions = UpgradeRevisions(await alembic.GraphAsync(commit, ct), head);
        report = report with { TargetCommit = commit, UpgradeRevisions = revisions };
        if (revisions.Count == 0 || !report.Differences.Any(d => d.Kind == SchemaDifferenceKind.Extra))
        {
            return report;
        }

        return report with { Differences = MarkCollisions(report.Differences, revisions, await alembic.ScriptsAsync(commit, ct)) };
    }

    /// <summary>The revisions an upgrade from the database's head to the target's (single) head applies, newest first; none when there is no such path.</summary>
    public static IReadOnlyList<string> UpgradeRevisions(MigrationGraph target, string head) =>
        target.Heads.Count == 1 && target.Contains(head) ? target.Reverted(target.Heads[0], head) ?? [] : [];

    /// <summary>Each leftover with the revisions (of those given) whose scripts name it.</summary>
    public static IReadOnlyList<SchemaDifference> MarkCollisions(IReadOnlyList<SchemaDifference> differences, IReadOnlyList<string> revisions, IReadOnlyDictionary<string, string> scripts) =>
        differences.Select(d => d.Kind != SchemaDifferenceKind.Extra ? d : d with
        {
            CollidesWith = revisions.Where(r => scripts.TryGetValue(r, out var text) && Mentions(text, SchemaComparer.BareName(d))).ToList(),
        }).ToList();

    /// <summary>Whether a script names an object: the name as a whole word, any case (SQL folds unquoted names).</summary>
    public static bool Mentions(string script, string name) =>
        name.Length > 0 && Regex.IsMatch(script, @"(?<![A-Za-z0-9_])" + Regex.Escape(name) + @"(?![A-Za-z0-9_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The newest migrations.downgrade that succeeded and ended at this head (read from its final event), or null.</summary>
    public static async Task<RecordedDowngrade?> LastDowngradeToAsync(OperationManager operations, string head, CancellationToken ct)
    {
        var downgrades = operations.List(int.MaxValue)
            .Where(o => o.Kind == MigrationOperations.DowngradeKind && o.State == OperationState.Succeeded && o.StartedAt is not null)
            .OrderByDescending(o => o.StartedAt);
        foreach (var info in downgrades)
        {
            await foreach (var evt in operations.Get(info.OperationId).WatchAsync(0, ct))
            {
                if (evt.Final && evt.Data.TryGetValue("to", out var to) && to == head)
                {
                    return new RecordedDowngrade(info.OperationId, info.StartedAt!.Value, to);
                }
            }
        }

        return null;
    }

    private async Task<string> ReadAsync(string program, IReadOnlyList<string> arguments, Action<string>? onLine, CancellationToken ct)
    {
        var text = "";
        await runner.RunBinaryAsync(program, arguments, database.ToolEnvironment(), null, async (stdout, token) =>
        {
            using var reader = new StreamReader(stdout);
            text = await reader.ReadToEndAsync(token);
        }, onLine, ct);
        return text;
    }
}
