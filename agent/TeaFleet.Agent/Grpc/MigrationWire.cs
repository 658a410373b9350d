using Google.Protobuf.WellKnownTypes;
using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>The migration status between the wire and the agent's own record.</summary>
public static class MigrationWire
{
    public static V1.MigrationStatus ToWire(M.MigrationStatus s)
    {
        var wire = new V1.MigrationStatus
        {
            Host = s.Host,
            CodeCommit = s.CodeCommit,
            State = s.State switch
            {
                M.MigrationState.UpToDate => V1.MigrationState.UpToDate,
                M.MigrationState.Behind => V1.MigrationState.Behind,
                M.MigrationState.UnknownRevision => V1.MigrationState.UnknownRevision,
                M.MigrationState.NotMigrated => V1.MigrationState.NotMigrated,
                M.MigrationState.SeveralHeads => V1.MigrationState.SeveralHeads,
                _ => V1.MigrationState.Unspecified,
            },
            Detail = s.Detail,
            LastUpgradeFailed = s.LastUpgradeFailed,
            LastUpgradeOperationId = s.LastUpgradeOperationId,
            LastUpgradeMessage = s.LastUpgradeMessage,
            TargetCommit = s.TargetCommit,
            DowngradeSteps = s.DowngradeSteps,
            UpgradeSteps = s.UpgradeSteps,
            Image = s.Image,
            ImagePresent = s.ImagePresent,
            Service = s.Service,
            LastDowngradeFailed = s.LastDowngradeFailed,
            LastDowngradeOperationId = s.LastDowngradeOperationId,
            LastDowngradeMessage = s.LastDowngradeMessage,
            LastDowngradeOffline = s.LastDowngradeOffline,
            LastDowngradeAt = s.LastDowngradeAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            RunOnDeploy = s.RunOnDeploy,
            LastGoodCommit = s.LastGoodCommit,
            LastGoodHead = s.LastGoodHead,
        };
        wire.DatabaseHeads.Add(s.DatabaseHeads);
        wire.CodeHeads.Add(s.CodeHeads);
        wire.TargetHeads.Add(s.TargetHeads);
        wire.DowngradeRevisions.Add(s.DowngradeRevisions);
        wire.TargetRevisions.Add(s.TargetRevisions);
        wire.TargetHistoryCommits.Add(s.TargetHistoryCommits);
        return wire;
    }

    public static V1.LeftoversResponse ToWire(M.LeftoverReport r)
    {
        var wire = new V1.LeftoversResponse
        {
            Host = r.Host,
            Compared = r.Compared,
            Reason = r.Reason,
            ReferenceBackupId = r.ReferenceBackupId,
            ReferenceTakenAt = r.ReferenceTakenAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            DowngradeOperationId = r.DowngradeOperationId,
            TargetCommit = r.TargetCommit,
        };
        wire.DatabaseHeads.Add(r.DatabaseHeads);
        wire.UpgradeRevisions.Add(r.UpgradeRevisions);
        foreach (var d in r.Differences)
        {
            var difference = new V1.SchemaDifference
            {
                Kind = d.Kind switch
                {
                    M.SchemaDifferenceKind.Extra => V1.SchemaDifferenceKind.Extra,
                    M.SchemaDifferenceKind.Missing => V1.SchemaDifferenceKind.Missing,
                    M.SchemaDifferenceKind.Changed => V1.SchemaDifferenceKind.Changed,
                    _ => V1.SchemaDifferenceKind.Unspecified,
                },
                ObjectType = d.ObjectType,
                Schema = d.Schema,
                Name = d.Name,
                Detail = d.Detail,
                Droppable = d.Droppable,
            };
            difference.CollidesWith.Add(d.CollidesWith);
            wire.Differences.Add(difference);
        }

        return wire;
    }
}
