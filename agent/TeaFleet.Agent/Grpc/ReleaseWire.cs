using M = TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Grpc;

/// <summary>Releases between the wire and the agent's own records.</summary>
public static class ReleaseWire
{
    public static V1.Release ToWire(M.Release r)
    {
        var wire = new V1.Release
        {
            Id = r.Id,
            Commit = r.Commit,
            Kind = r.Kind,
            RequestedBy = r.RequestedBy,
            Reason = r.Reason,
            OperationId = r.OperationId,
            RunId = r.RunId,
            StartedAt = OperationWire.Time(r.StartedAt),
            EndedAt = OperationWire.Time(r.EndedAt),
            Result = ToWire(r.Result),
            Message = r.Message,
            PreviousCommit = r.PreviousCommit,
            Built = r.Built,
            MigrationHead = r.MigrationHead,
            MigrationService = r.MigrationService,
        };
        wire.Services.Add(r.Services);
        wire.Removed.Add(r.Removed);
        foreach (var (service, image) in r.Images)
        {
            wire.Images[service] = image;
        }

        return wire;
    }

    public static V1.ReleaseResult ToWire(M.ReleaseResult result) => result switch
    {
        M.ReleaseResult.InProgress => V1.ReleaseResult.InProgress,
        M.ReleaseResult.Succeeded => V1.ReleaseResult.Succeeded,
        M.ReleaseResult.Failed => V1.ReleaseResult.Failed,
        M.ReleaseResult.Interrupted => V1.ReleaseResult.Interrupted,
        _ => V1.ReleaseResult.Unspecified,
    };

    public static V1.GetServiceSetResponse ToWire(M.ServiceSetReport report)
    {
        var set = report.Set;
        var response = new V1.GetServiceSetResponse { Commit = set.Commit, MigrationService = set.MigrationService };
        foreach (var s in set.Services)
        {
            var service = new V1.ReleaseService
            {
                Name = s.Name,
                Image = s.Image,
                HasBuild = s.HasBuild,
                Restart = s.Restart,
                HasHealthcheck = s.HasHealthcheck,
                OneShot = set.IsOneShot(s.Name),
                ReleaseTagged = set.IsReleaseTagged(s.Name),
                DataService = report.DataServices.Contains(s.Name),
                Allowed = report.Allowed.Contains(s.Name),
            };
            if (report.Modes.TryGetValue(s.Name, out var mode))
            {
                service.SwitchMode = mode.Mode;
                service.SwitchReason = mode.Reason;
                service.Proxy = mode.Proxy;
            }

            service.DependsOn.AddRange(s.DependsOn.Select(d => new V1.ServiceDependency { Service = d.Service, Condition = d.Condition }));
            service.Profiles.AddRange(s.Profiles);
            response.Services.Add(service);
        }

        response.SwitchServices.AddRange(report.SwitchServices);
        response.Problems.AddRange(report.Problems);
        return response;
    }
}
