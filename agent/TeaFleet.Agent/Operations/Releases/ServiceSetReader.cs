using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Operations.Services;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>Reads the service set of a release (any commit of the checkout) and what a switch to it with no service named would do.</summary>
public sealed class ServiceSetReader(GitRepository git, ComposeProject compose, ServiceCatalog catalog, IContainerRuntime runtime, RollingHandover rolling)
{
    public async Task<ServiceSetReport> ReadAsync(string reference, CancellationToken cancellationToken)
    {
        var commit = string.IsNullOrWhiteSpace(reference)
            ? await git.HeadAsync(cancellationToken)
            : await git.ResolveAsync(reference.Trim(), cancellationToken)
              ?? throw AgentException.NotFound($"the app checkout has no commit or tag '{reference}'; fetch the code first or check the name");
        var set = await compose.ServicesAtAsync(commit, cancellationToken);
        IReadOnlyList<string> services = [];
        List<string> problems = [];
        try
        {
            services = ServiceSwitch.Decide(set, [], catalog.ReleaseDefault, catalog.DataServices, compose.CannotSwitch, GitRefs.Short(commit)).Services;
            problems.AddRange(await ServiceSwitch.MissingFixedImagesAsync(set, services, runtime.ImageExistsAsync, cancellationToken));
        }
        catch (AgentException ex)
        {
            problems.Add(ex.Message);
        }

        var modes = new Dictionary<string, (string Mode, string Reason, string Proxy)>(StringComparer.Ordinal);
        foreach (var service in services.Where(s => !set.IsOneShot(s)))
        {
            var config = rolling.Of(service);
            var why = await rolling.CannotRollAsync(set, service, cancellationToken);
            modes[service] = why is null
                ? ("rolling", $"no gap: a stand-in on {config!.StandInPort} behind {config.Proxy} while it is recreated on {config.Port}", config.Proxy)
                : ("recreate", why, config?.Proxy ?? "");
        }

        return new ServiceSetReport(set, services, problems, catalog.DataServices.ToHashSet(StringComparer.Ordinal), catalog.Allowed.ToHashSet(StringComparer.Ordinal))
        {
            Modes = modes,
        };
    }
}
