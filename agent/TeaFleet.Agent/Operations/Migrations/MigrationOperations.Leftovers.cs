using System.Globalization;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Database;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.State;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>The repair of what a downgrade left behind (docs/adr/0009).</summary>
public sealed partial class MigrationOperations
{
    /// <summary>
    /// Drops what a downgrade left behind, after a fresh backup: the leftovers are found again (the
    /// database may have changed since anyone looked), then each droppable one gets a plain DROP (never
    /// CASCADE) in a transaction of its own, so PostgreSQL itself refuses what something still uses.
    /// Passes repeat while one drops something (a leftover view goes before the leftover table it reads).
    /// What it refused, what is missing or changed, and types it does not drop are listed for a person.
    /// </summary>
    public OperationRecord RepairLeftovers(OperationHeader header, string backupId, string caller)
    {
        if (operations.TryAttach(header, RepairLeftoversKind) is { } existing)
        {
            return existing;
        }

        finder.EnsureConfigured();
        var freshBackup = CheckNamedBackup(backupId);
        return operations.Start(header, RepairLeftoversKind, "drop what a downgrade left behind", caller, async context =>
        {
            var backupId = await FreshBackupAsync(context, freshBackup, header, "before repair leftovers");
            var report = await context.StepAsync("compare", "compare the live schema with the schema recorded at this head", async () =>
            {
                var found = await leftovers.FindAsync("", line => context.Log("compare", line), context.CancellationToken);
                if (!found.Compared)
                {
                    throw new InvalidOperationException($"nothing to compare with: {found.Reason}");
                }

                return (found, $"{found.Differences.Count} difference(s) with backup {found.ReferenceBackupId} ({found.Reason})");
            });
            var pending = report.Differences.Where(d => d.Droppable).Reverse().ToList();
            var dropped = new List<string>();
            var refused = new Dictionary<string, string>(StringComparer.Ordinal);
            await context.StepAsync("drop", $"drop {pending.Count} leftover(s), each with a plain DROP in its own transaction", async () =>
            {
                var progress = true;
                while (pending.Count > 0 && progress)
                {
                    progress = false;
                    foreach (var leftover in pending.ToList())
                    {
                        var statement = SchemaComparer.DropStatement(leftover);
                        if (await database.TryDropAsync(statement, context.CancellationToken) is { } reason)
                        {
                            refused[leftover.Label] = reason;
                            continue;
                        }

                        refused.Remove(leftover.Label);
                        pending.Remove(leftover);
                        dropped.Add(leftover.Label);
                        progress = true;
                        context.Report("drop", OperationPhase.Progress, $"dropped {leftover.Label} ({statement})");
                    }
                }

                foreach (var (label, reason) in refused)
                {
                    context.Report("drop", OperationPhase.Progress, $"kept {label}: PostgreSQL refused: {reason}");
                }

                return $"dropped {dropped.Count}, kept {refused.Count}";
            });
            var forAPerson = report.Differences.Where(d => !d.Droppable).Select(d => $"{d.Kind.ToString().ToLowerInvariant()} {d.Label}").ToList();
            foreach (var item in forAPerson)
            {
                context.Log("drop", $"for a person: {item} (TeaFleet drops only leftover {string.Join(", ", SchemaComparer.DroppableTypes)})");
            }

            return new Dictionary<string, string>
            {
                [OperationResultKeys.BackupId] = backupId,
                ["reference_backup_id"] = report.ReferenceBackupId,
                ["dropped"] = string.Join(" | ", dropped),
                ["kept"] = string.Join(" | ", refused.Select(r => $"{r.Key}: {r.Value}")),
                ["for_a_person"] = string.Join(" | ", forAPerson),
            };
        });
    }
}
