using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Database;
using TeaFleet.Agent.Operations;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Agent.V1;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Migrations;

/// <summary>
/// The app's Alembic, run as the app's own command in a one-off container of the live release's
/// backend image: status (reads only), check, upgrade and downgrade (each an operation). Upgrades
/// and downgrades start from a fresh backup: one the caller names, taken minutes ago, or a quick
/// one the operation takes first. Everything the caller can get wrong is refused before anything runs.
/// </summary>
public sealed partial class MigrationOperations(
    OperationManager operations,
    GitRepository git,
    ComposeProject compose,
    IContainerRuntime runtime,
    PostgresDatabase database,
    BackupCatalogue catalogue,
    BackupOperations backups,
    ReleaseLedger ledger,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public const string CheckKind = "migrations.check";
    public const string UpgradeKind = "migrations.upgrade";
    public const string DowngradeKind = "migrations.downgrade";

    private AgentOptions Options => options.Value;

    public async Task<MigrationStatus> StatusAsync(MigrationStatusRequest request, CancellationToken ct)
    {
        EnsureConfigured();
        var live = await LiveAsync(ct);
        var dbHeads = await database.MigrationHeadsAsync(ct);
        var status = new MigrationStatus
        {
            Host = Options.HostName,
            CodeCommit = live.Commit,
            Image = live.Image,
            ImagePresent = live.ImagePresent,
            Service = Options.Migrations.Service,
            DowngradeSteps = -1,
            UpgradeSteps = -1,
        };
        status.DatabaseHeads.AddRange(dbHeads);
        status.CodeHeads.AddRange(live.Graph.Heads);
        (status.State, status.Detail) = Assess(dbHeads, live.Graph);

        // The last migration this agent ran was an upgrade that did not finish (a later downgrade or a
        // successful upgrade repaired it).
        var lastUpgrade = operations.List(int.MaxValue).FirstOrDefault(o => o.Kind is UpgradeKind or DowngradeKind);
        if (lastUpgrade is { Kind: UpgradeKind, State: OperationState.Failed or OperationState.Interrupted })
        {
            status.LastUpgradeFailed = true;
            status.LastUpgradeOperationId = lastUpgrade.OperationId;
            status.LastUpgradeMessage = lastUpgrade.Message;
        }

        if (!string.IsNullOrWhiteSpace(request.Target))
        {
            var target = await git.ResolveAsync(request.Target.Trim(), ct)
                ?? throw AgentException.NotFound($"the app checkout on {Options.HostName} has no commit or tag '{request.Target}'");
            var targetGraph = await GraphAsync(target, ct);
            status.TargetCommit = target;
            status.TargetHeads.AddRange(targetGraph.Heads);
            if (dbHeads.Count == 1 && targetGraph.Heads.Count == 1)
            {
                var (db, wanted) = (dbHeads[0], targetGraph.Heads[0]);
                if (db == wanted)
                {
                    status.DowngradeSteps = 0;
                    status.UpgradeSteps = 0;
                }
                else if (live.Graph.Reverted(db, wanted) is { } reverted)
                {
                    status.DowngradeSteps = reverted.Count;
                    status.DowngradeRevisions.AddRange(reverted);
                }
                else if (targetGraph.StepsBetween(db, wanted) is { } up)
                {
                    status.UpgradeSteps = up;
                }
            }
        }

        return status;
    }

    public OperationRecord Check(CheckMigrationsRequest request, string caller)
    {
        if (operations.TryAttach(request.Header, CheckKind) is { } existing)
        {
            return existing;
        }

        EnsureConfigured();
        return operations.Start(request.Header, CheckKind, request.ExpectHead.Length > 0 ? $"expect {request.ExpectHead}" : "", caller, async context =>
        {
            var live = await LiveForRunAsync(context);
            var data = await AlembicCheckAsync(context, live, request.ExpectHead);
            return data;
        });
    }

    public async Task<OperationRecord> UpgradeAsync(UpgradeMigrationsRequest request, string caller, CancellationToken ct)
    {
        if (operations.TryAttach(request.Header, UpgradeKind) is { } existing)
        {
            return existing;
        }

        EnsureConfigured();
        var revision = string.IsNullOrWhiteSpace(request.Revision) ? "head" : request.Revision.Trim();
        var live = await LiveAsync(ct);
        if (revision != "head" && !live.Graph.Contains(revision))
        {
            throw AgentException.Invalid(
                $"revision '{revision}' is not in the live code's migrations ({GitRefs.Short(live.Commit)}: {string.Join(", ", live.Graph.Revisions.Order(StringComparer.Ordinal))}); give one of them or \"head\"");
        }

        var freshBackup = CheckNamedBackup(request.BackupId);
        return operations.Start(request.Header, UpgradeKind, $"upgrade to {revision}", caller, async context =>
        {
            live = await LiveForRunAsync(context);
            var backupId = await FreshBackupAsync(context, freshBackup, request.Header, $"before alembic upgrade {revision}");
            var before = await database.MigrationHeadsAsync(context.CancellationToken);
            await context.StepAsync("upgrade", $"alembic upgrade {revision} ({live.Image})", async () =>
            {
                await AlembicAsync(context, "upgrade", live, ["upgrade", revision]);
                return "alembic upgrade finished";
            });
            var after = await HeadsStepAsync(context, revision == "head" ? live.Graph.Heads : [revision]);
            return new Dictionary<string, string>
            {
                ["backup_id"] = backupId,
                ["from"] = string.Join(",", before),
                ["to"] = string.Join(",", after),
            };
        });
    }

    public async Task<OperationRecord> DowngradeAsync(DowngradeMigrationsRequest request, string caller, CancellationToken ct)
    {
        if (operations.TryAttach(request.Header, DowngradeKind) is { } existing)
        {
            return existing;
        }

        EnsureConfigured();
        var revision = request.Revision.Trim();
        if (request.Steps < 0 || (request.Steps == 0 && revision.Length == 0))
        {
            throw AgentException.Invalid("a downgrade needs a number of steps (1 or more) or the revision to end at");
        }

        var live = await LiveAsync(ct);
        var dbHeads = await database.MigrationHeadsAsync(ct);
        var plan = PlanDowngrade(live, dbHeads, request.Steps, revision);
        var freshBackup = CheckNamedBackup(request.BackupId);
        return operations.Start(request.Header, DowngradeKind, $"downgrade {plan.From} → {plan.To} ({plan.Reverted.Count} step(s))", caller, async context =>
        {
            live = await LiveForRunAsync(context);
            // The database may have moved since the request was checked: plan again, same rules.
            plan = PlanDowngrade(live, await database.MigrationHeadsAsync(context.CancellationToken), request.Steps, revision);
            var backupId = await FreshBackupAsync(context, freshBackup, request.Header, $"before alembic downgrade {plan.To}");
            await context.StepAsync("downgrade", $"alembic downgrade {plan.To}: revert {string.Join(", ", plan.Reverted)} with the live release's scripts ({live.Image})", async () =>
            {
                await AlembicAsync(context, "downgrade", live, ["downgrade", plan.To]);
                return $"reverted {plan.Reverted.Count} revision(s)";
            });
            var after = await HeadsStepAsync(context, plan.To == "base" ? [] : [plan.To]);
            return new Dictionary<string, string>
            {
                ["backup_id"] = backupId,
                ["from"] = plan.From,
                ["to"] = string.Join(",", after),
                ["steps"] = plan.Reverted.Count.ToString(CultureInfo.InvariantCulture),
            };
        });
    }

    internal static (MigrationState State, string Detail) Assess(IReadOnlyList<string> dbHeads, MigrationGraph code)
    {
        var heads = string.Join(", ", code.Heads);
        if (dbHeads.Count == 0)
        {
            return (MigrationState.NotMigrated, $"the database has no Alembic revision; the live code's head is {heads}");
        }

        if (dbHeads.Count > 1)
        {
            return (MigrationState.SeveralHeads, $"the database is at several revisions ({string.Join(", ", dbHeads)}); a relative downgrade is ambiguous: name a revision");
        }

        var db = dbHeads[0];
        if (!code.Contains(db))
        {
            return (MigrationState.UnknownRevision,
                $"the database is at {db}, which the live code does not know (its head is {heads}): newer code migrated it, or a migration is half-applied; the live code's Alembic cannot run against it");
        }

        return code.Heads.Contains(db)
            ? (MigrationState.UpToDate, $"the database is at the live code's head {db}")
            : (MigrationState.Behind, $"the database is at {db}, behind the live code's head {heads} ({code.StepsBetween(db, code.Heads[0]) ?? 0} to apply): an upgrade is pending or the last one failed half-way");
    }

    internal static DowngradePlan PlanDowngrade(LiveCode live, IReadOnlyList<string> dbHeads, int steps, string revision)
    {
        if (dbHeads.Count != 1)
        {
            throw AgentException.Precondition(dbHeads.Count == 0
                ? "the database has no Alembic revision: there is nothing to downgrade"
                : $"the database is at several revisions ({string.Join(", ", dbHeads)}); a downgrade from there is ambiguous. Downgrade by hand, one branch at a time");
        }

        var from = dbHeads[0];
        if (!live.Graph.Contains(from))
        {
            throw AgentException.Precondition(
                $"the database is at {from}, which the live code ({GitRefs.Short(live.Commit)}) does not know: its scripts cannot revert it. Switch to the release that migrated it first, or restore a backup");
        }

        if (steps > 0 && live.Graph.Heads.Count > 1)
        {
            throw AgentException.Precondition(
                $"the live code has several heads ({string.Join(", ", live.Graph.Heads)}): \"{steps} step(s) down\" is ambiguous. Give the revision to end at instead");
        }

        string to;
        if (revision.Length > 0)
        {
            if (revision != "base" && !live.Graph.Contains(revision))
            {
                throw AgentException.Invalid($"revision '{revision}' is not in the live code's migrations ({string.Join(", ", live.Graph.Revisions.Order(StringComparer.Ordinal))})");
            }

            to = revision;
        }
        else
        {
            to = live.Graph.StepsBelow(from, steps)
                ?? throw AgentException.Precondition(
                    $"cannot go {steps} step(s) down from {from}: a merge lies in the way or there are not that many revisions. Give the revision to end at instead");
        }

        var reverted = live.Graph.Reverted(from, to)
            ?? throw AgentException.Precondition($"{to} is not below the database's revision {from}; nothing to downgrade to it (an upgrade?)");
        if (reverted.Count == 0)
        {
            throw AgentException.Precondition($"the database is already at {to}; nothing to downgrade");
        }

        if (steps > 0 && revision.Length > 0 && reverted.Count != steps)
        {
            throw AgentException.Precondition(
                $"downgrading to {revision} reverts {reverted.Count} revision(s) ({string.Join(", ", reverted)}), not {steps}: the database moved since the plan was made. Plan again");
        }

        return new DowngradePlan(from, to, reverted);
    }

    private void EnsureConfigured()
    {
        if (!Options.Migrations.Configured)
        {
            throw AgentException.Precondition(
                $"host {Options.HostName} runs no migrations (Agent:Migrations:Command is not set); run them on the environment's database host");
        }

        database.EnsureConfigured();
    }

    private Backup? CheckNamedBackup(string backupId)
    {
        if (string.IsNullOrWhiteSpace(backupId))
        {
            return null;
        }

        var backup = catalogue.Get(backupId.Trim());
        var age = time.GetUtcNow() - backup.TakenAt.ToDateTimeOffset();
        if (backup.Kind == BackupKind.Legacy || backup.VerifyState == VerifyState.Failed || age > TimeSpan.FromMinutes(Options.Migrations.FreshBackupMinutes))
        {
            throw AgentException.Precondition(
                $"backup {backup.Id} is not a fresh backup (taken {(int)age.TotalMinutes} min ago, {BackupKinds.Name(backup.Kind)}, {backup.VerifyState}); " +
                $"a migration needs one younger than {Options.Migrations.FreshBackupMinutes} min: leave the backup out and the agent takes a quick one first");
        }

        return backup;
    }

    private async Task<string> FreshBackupAsync(OperationContext context, Backup? named, OperationHeader header, string reason)
    {
        if (named is not null)
        {
            var age = time.GetUtcNow() - named.TakenAt.ToDateTimeOffset();
            context.Report("backup", OperationPhase.Succeeded, $"fresh backup {named.Id} taken {(int)age.TotalSeconds} s ago ({BackupKinds.Name(named.Kind)})");
            return named.Id;
        }

        var backup = await backups.BackupAsync(context, BackupKind.Quick, header, reason);
        return backup.Id;
    }

    /// <summary>Reads alembic_version after a run and checks it is what was asked for.</summary>
    private Task<IReadOnlyList<string>> HeadsStepAsync(OperationContext context, IReadOnlyList<string> expected) =>
        context.StepAsync("check", "read alembic_version", async () =>
        {
            var heads = await database.MigrationHeadsAsync(context.CancellationToken);
            if (!heads.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                throw new InvalidOperationException(
                    $"the database is at {Describe(heads)} after the run, not {Describe(expected)}");
            }

            return (heads, $"the database is at {Describe(heads)}");
        });

    private async Task<Dictionary<string, string>> AlembicCheckAsync(OperationContext context, LiveCode live, string expectHead)
    {
        var current = await context.StepAsync("current", $"alembic current ({live.Image})", async () =>
        {
            var result = await AlembicAsync(context, "current", live, ["current"]);
            var revisions = RevisionOutput(result.StandardOutput);
            return (revisions, $"Alembic reads the database as {Describe(revisions)}");
        });
        await context.StepAsync("compare", "compare with alembic_version" + (expectHead.Length > 0 ? $" and the expected {expectHead}" : ""), async () =>
        {
            var db = await database.MigrationHeadsAsync(context.CancellationToken);
            if (!db.Order(StringComparer.Ordinal).SequenceEqual(current.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"Alembic reports {Describe(current)} but alembic_version holds {Describe(db)}");
            }

            if (expectHead.Length > 0 && !(db.Count == 1 && db[0] == expectHead))
            {
                throw new InvalidOperationException($"the database is at {Describe(db)}, not at {expectHead} as planned: something migrated it since; plan again");
            }

            var (_, detail) = Assess(db, live.Graph);
            return detail;
        });
        return new Dictionary<string, string>
        {
            ["current"] = string.Join(",", current),
            // The live code's heads come from its scripts (read through git when the run began): one
            // container run less than `alembic heads` (each one-off run costs ~3 s with compose v1).
            ["heads"] = string.Join(",", live.Graph.Heads),
            ["commit"] = live.Commit,
        };
    }

    private async Task<ProcessResult> AlembicAsync(OperationContext context, string step, LiveCode live, IReadOnlyList<string> arguments)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Options.Migrations.TimeoutSeconds));
        try
        {
            return await compose.RunOneOffAsync(live.Commit, Options.Migrations.Service, Options.Migrations.Command, arguments, line => context.Log(step, line), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"alembic {string.Join(' ', arguments)} took longer than {Options.Migrations.TimeoutSeconds} s (Agent:Migrations:TimeoutSeconds) and was stopped");
        }
    }

    /// <summary>The live code at the start of a run, with its image required: Alembic runs in it.</summary>
    private async Task<LiveCode> LiveForRunAsync(OperationContext context)
    {
        var live = await LiveAsync(context.CancellationToken);
        if (!live.ImagePresent)
        {
            throw new InvalidOperationException(
                $"the live release's image {live.Image} is not on {Options.HostName}: Alembic runs in it. Build it (teafleet deploy ENV {GitRefs.Short(live.Commit)}) or switch to a kept release first");
        }

        context.Log("alembic", $"the live release {GitRefs.Short(live.Commit)} ({live.Image}); its heads: {string.Join(", ", live.Graph.Heads)}");
        return live;
    }

    /// <summary>
    /// The code whose Alembic runs: the checkout's commit (the live release); but when the database is
    /// at a revision that code does not know (a switch to older code failed after newer code migrated
    /// it), the newest succeeded release whose scripts know that revision and whose image is kept —
    /// the release that migrated it, the only one that can revert it.
    /// </summary>
    private async Task<LiveCode> LiveAsync(CancellationToken ct)
    {
        var commit = await git.HeadAsync(ct);
        var live = await CodeAsync(commit, ct);
        var dbHeads = await database.MigrationHeadsAsync(ct);
        if (dbHeads.Count != 1 || live.Graph.Contains(dbHeads[0]))
        {
            return live;
        }

        foreach (var other in ledger.RecentCommits(Options.App.KeepReleases).Where(c => c != commit))
        {
            MigrationGraph graph;
            try
            {
                graph = await GraphAsync(other, ct);
            }
            catch (AgentException)
            {
                continue;
            }

            if (graph.Contains(dbHeads[0]) && await CodeAsync(other, ct) is { ImagePresent: true } migrated)
            {
                return migrated;
            }
        }

        return live;
    }

    private async Task<LiveCode> CodeAsync(string commit, CancellationToken ct)
    {
        var graph = await GraphAsync(commit, ct);
        var image = compose.ImagesFor(commit, [Options.Migrations.Service])[Options.Migrations.Service];
        return new LiveCode(commit, graph, image, await runtime.ImageExistsAsync(image, ct));
    }

    private async Task<MigrationGraph> GraphAsync(string commit, CancellationToken ct)
    {
        var scripts = await git.ReadDirectoryAsync(commit, Options.App.MigrationsPath, ct);
        try
        {
            return MigrationGraph.Parse(scripts.Where(s => s.Name.EndsWith(".py", StringComparison.Ordinal)));
        }
        catch (InvalidDataException e)
        {
            throw AgentException.Precondition($"the migration scripts of {GitRefs.Short(commit)} cannot be read: {e.Message}");
        }
    }

    /// <summary>The revision ids in `alembic current` / `alembic heads` output ("0002_teams (head)").</summary>
    internal static IReadOnlyList<string> RevisionOutput(string output) =>
        RevisionLine().Matches(output).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static string Describe(IReadOnlyList<string> heads) => heads.Count == 0 ? "no revision" : string.Join(", ", heads);

    [GeneratedRegex(@"^([0-9A-Za-z_]+)(?: \((?:head|mergepoint|branchpoint|effective head)\))*\s*$", RegexOptions.Multiline)]
    private static partial Regex RevisionLine();

    internal sealed record LiveCode(string Commit, MigrationGraph Graph, string Image, bool ImagePresent);

    internal sealed record DowngradePlan(string From, string To, IReadOnlyList<string> Reverted);
}
