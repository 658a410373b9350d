using System.Globalization;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>
/// The app's Alembic, run as the app's own command in a one-off container of the live release's
/// backend image: check, upgrade and downgrade, each an operation (the status, a read, is
/// MigrationStatusReader's). Upgrades and downgrades start from a fresh backup: one the caller
/// names, taken minutes ago, or a quick one the operation takes first. Everything the caller can
/// get wrong is refused before anything runs. The offline render (Type 2's pre-flight) is in
/// MigrationOperations.Render.cs, the repair of schema leftovers in MigrationOperations.Leftovers.cs,
/// an upgrade with a release that is not live (a deploy's target) in MigrationOperations.Target.cs.
/// </summary>
public sealed partial class MigrationOperations(
    OperationManager operations,
    PostgresDatabase database,
    BackupCatalogue catalogue,
    BackupWriter backups,
    Alembic alembic,
    LiveCodeFinder finder,
    LeftoverFinder leftovers,
    ComposeProject compose,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public const string CheckKind = OperationKinds.MigrationsCheck;
    public const string UpgradeKind = OperationKinds.MigrationsUpgrade;
    public const string DowngradeKind = OperationKinds.MigrationsDowngrade;
    public const string RenderKind = OperationKinds.MigrationsRender;
    public const string RepairLeftoversKind = OperationKinds.MigrationsRepairLeftovers;

    private AgentOptions Options => options.Value;

    public OperationRecord Check(OperationHeader header, string expectHead, string caller)
    {
        if (operations.TryAttach(header, CheckKind) is { } existing)
        {
            return existing;
        }

        finder.EnsureConfigured();
        return operations.Start(header, CheckKind, expectHead.Length > 0 ? $"expect {expectHead}" : "", caller, async context =>
        {
            var live = await LiveForRunAsync(context);
            var data = await AlembicCheckAsync(context, live, expectHead);
            return data;
        });
    }

    /// <summary>
    /// Upgrades with the live release's scripts; with a commit (or tag), with that release's scripts in
    /// its image instead (a deploy's target, before its switch): an unknown one is refused before
    /// anything starts, and its image is built in the operation when the host lacks it.
    /// </summary>
    public async Task<OperationRecord> UpgradeAsync(OperationHeader header, string requestedRevision, string backupId, string requestedCommit, string caller, CancellationToken ct)
    {
        if (operations.TryAttach(header, UpgradeKind) is { } existing)
        {
            return existing;
        }

        finder.EnsureConfigured();
        var revision = string.IsNullOrWhiteSpace(requestedRevision) ? "head" : requestedRevision.Trim();
        var target = string.IsNullOrWhiteSpace(requestedCommit) ? null : await ResolveReleaseAsync(requestedCommit.Trim(), ct);
        var code = target is null ? await finder.LiveAsync(ct) : await finder.CodeAsync(target, ct);
        if (revision != "head" && !code.Graph.Contains(revision))
        {
            throw AgentException.Invalid(
                $"revision '{revision}' is not in the {(target is null ? "live code's" : "release's")} migrations ({GitRefs.Short(code.Commit)}: {string.Join(", ", code.Graph.Revisions.Order(StringComparer.Ordinal))}); give one of them or \"head\"");
        }

        var freshBackup = CheckNamedBackup(backupId);
        var summary = target is null ? $"upgrade to {revision}" : $"upgrade to {revision} with the scripts of {GitRefs.Short(target)}";
        return operations.Start(header, UpgradeKind, summary, caller, async context =>
        {
            code = target is null ? await LiveForRunAsync(context) : await ReleaseForRunAsync(context, target);
            var backupId = await FreshBackupAsync(context, freshBackup, header, $"before alembic upgrade {revision}");
            var before = await database.MigrationHeadsAsync(context.CancellationToken);
            await context.StepAsync("upgrade", $"alembic upgrade {revision} ({code.Image})", async () =>
            {
                await AlembicAsync(context, "upgrade", code, ["upgrade", revision]);
                return "alembic upgrade finished";
            });
            var after = await HeadsStepAsync(context, revision == "head" ? code.Graph.Heads : [revision]);
            var data = new Dictionary<string, string>
            {
                [OperationResultKeys.BackupId] = backupId,
                ["from"] = string.Join(",", before),
                ["to"] = string.Join(",", after),
            };
            if (target is not null)
            {
                data["commit"] = code.Commit;
            }

            return data;
        });
    }

    /// <summary>The revision a downgrade (or its offline render) ends at, trimmed; refused when neither steps nor a revision say where.</summary>
    private static string DowngradeRevision(int steps, string requestedRevision)
    {
        var revision = requestedRevision.Trim();
        return steps < 0 || (steps == 0 && revision.Length == 0)
            ? throw AgentException.Invalid("a downgrade needs a number of steps (1 or more) or the revision to end at")
            : revision;
    }

    public async Task<OperationRecord> DowngradeAsync(OperationHeader header, int steps, string requestedRevision, string backupId, string caller, CancellationToken ct)
    {
        if (operations.TryAttach(header, DowngradeKind) is { } existing)
        {
            return existing;
        }

        finder.EnsureConfigured();
        var revision = DowngradeRevision(steps, requestedRevision);
        var live = await finder.LiveAsync(ct);
        var dbHeads = await database.MigrationHeadsAsync(ct);
        var plan = MigrationPlanner.PlanDowngrade(live, dbHeads, steps, revision);
        var freshBackup = CheckNamedBackup(backupId);
        return operations.Start(header, DowngradeKind, $"downgrade {plan.From} → {plan.To} ({plan.Reverted.Count} step(s))", caller, async context =>
        {
            string backupId;
            IReadOnlyList<string> before;
            try
            {
                live = await LiveForRunAsync(context);
                // The database may have moved since the request was checked: plan again, same rules.
                plan = MigrationPlanner.PlanDowngrade(live, await database.MigrationHeadsAsync(context.CancellationToken), steps, revision);
                backupId = await FreshBackupAsync(context, freshBackup, header, $"before alembic downgrade {plan.To}");
                before = await database.MigrationHeadsAsync(context.CancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing ran against the database yet: say so, so a plan's way back need not restore.
                throw new StepFailedException(e is StepFailedException failed ? failed.Step : "prepare", $"{e.Message}; the database is unchanged (no migration ran)", e)
                {
                    Results = new Dictionary<string, string> { [OperationResultKeys.Changed] = "false" },
                };
            }

            try
            {
                await context.StepAsync("downgrade", $"alembic downgrade {plan.To}: revert {string.Join(", ", plan.Reverted)} with the live release's scripts ({live.Image})", async () =>
                {
                    await AlembicAsync(context, "downgrade", live, ["downgrade", plan.To]);
                    return $"reverted {plan.Reverted.Count} revision(s)";
                });
            }
            catch (StepFailedException failed) when (!context.CancellationToken.IsCancellationRequested)
            {
                throw await DowngradeFailedAsync(context, failed, before, backupId);
            }
            var after = await HeadsStepAsync(context, plan.To == "base" ? [] : [plan.To]);
            return new Dictionary<string, string>
            {
                [OperationResultKeys.BackupId] = backupId,
                ["from"] = plan.From,
                ["to"] = string.Join(",", after),
                ["steps"] = plan.Reverted.Count.ToString(CultureInfo.InvariantCulture),
            };
        });
    }

    /// <summary>
    /// A downgrade's Alembic run failed: alembic_version is read again and compared with before, so the
    /// failure says whether the database is unchanged (changed=false) or where it is now (changed=true).
    /// </summary>
    private async Task<StepFailedException> DowngradeFailedAsync(OperationContext context, StepFailedException failed, IReadOnlyList<string> before, string backupId)
    {
        IReadOnlyList<string> after;
        try
        {
            after = await database.MigrationHeadsAsync(context.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.Report("compare", OperationPhase.Failed, $"cannot read alembic_version after the failure: {e.Message}");
            return new StepFailedException(failed.Step,
                $"{failed.Message}; alembic_version could not be read after it ({e.Message}): the database may be half-way; restore backup {backupId} if it is", failed)
            {
                Results = new Dictionary<string, string> { [OperationResultKeys.BackupId] = backupId },
            };
        }

        var unchanged = after.Order(StringComparer.Ordinal).SequenceEqual(before.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        var revision = string.Join(",", after);
        var message = unchanged
            ? $"{failed.Message}; the database is unchanged (still at {Describe(after)})"
            : $"{failed.Message}; the database changed: it is at {Describe(after)} now, was {Describe(before)}. Restore backup {backupId} to go back";
        context.Report("compare", unchanged ? OperationPhase.Succeeded : OperationPhase.Failed,
            unchanged ? $"alembic_version reads {Describe(after)} as before: the database is unchanged" : $"alembic_version reads {Describe(after)}, was {Describe(before)}");
        return new StepFailedException(failed.Step, message, failed)
        {
            Results = new Dictionary<string, string>
            {
                [OperationResultKeys.Changed] = unchanged ? "false" : "true",
                [OperationResultKeys.Revision] = revision,
                [OperationResultKeys.BackupId] = backupId,
                ["from"] = string.Join(",", before),
            },
        };
    }

    private Backup? CheckNamedBackup(string backupId)
    {
        if (string.IsNullOrWhiteSpace(backupId))
        {
            return null;
        }

        var backup = catalogue.Get(backupId.Trim());
        var age = time.GetUtcNow() - (backup.TakenAt ?? DateTimeOffset.MinValue);
        if (backup.Kind == BackupKind.Legacy || backup.VerifyState == VerifyState.Failed || age > TimeSpan.FromMinutes(Options.Migrations.FreshBackupMinutes))
        {
            throw AgentException.Precondition(
                $"backup {backup.Id} is not a fresh backup (taken {(int)age.TotalMinutes} min ago, {backup.Kind.Name()}, {backup.VerifyState}); " +
                $"a migration needs one younger than {Options.Migrations.FreshBackupMinutes} min: leave the backup out and the agent takes a quick one first");
        }

        return backup;
    }

    private async Task<string> FreshBackupAsync(OperationContext context, Backup? named, OperationHeader header, string reason)
    {
        if (named is not null)
        {
            var age = time.GetUtcNow() - (named.TakenAt ?? DateTimeOffset.MinValue);
            context.Report("backup", OperationPhase.Succeeded, $"fresh backup {named.Id} taken {(int)age.TotalSeconds} s ago ({named.Kind.Name()})");
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
            var revisions = Alembic.RevisionOutput(result.StandardOutput);
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

            var (_, detail) = MigrationPlanner.Assess(db, live.Graph);
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

    private Task<ProcessResult> AlembicAsync(OperationContext context, string step, LiveCode live, IReadOnlyList<string> arguments) =>
        alembic.RunAsync(live.Commit, arguments, line => context.Log(step, line), context.CancellationToken);

    /// <summary>The live code at the start of a run, with its image required: Alembic runs in it.</summary>
    private async Task<LiveCode> LiveForRunAsync(OperationContext context)
    {
        var live = await finder.LiveAsync(context.CancellationToken);
        if (!live.ImagePresent)
        {
            throw new InvalidOperationException(
                $"the live release's image {live.Image} is not on {Options.HostName}: Alembic runs in it. Build it (teafleet deploy ENV {GitRefs.Short(live.Commit)}) or switch to a kept release first");
        }

        context.Log("alembic", $"the live release {GitRefs.Short(live.Commit)} ({live.Image}); its heads: {string.Join(", ", live.Graph.Heads)}");
        return live;
    }

    private static string Describe(IReadOnlyList<string> heads) => heads.Count == 0 ? "no revision" : string.Join(", ", heads);
}
