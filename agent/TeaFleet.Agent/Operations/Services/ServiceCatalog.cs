using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Operations.Services;

/// <summary>The services this host's configuration lets TeaFleet touch; every name from a caller is checked here.</summary>
public sealed class ServiceCatalog(IOptions<AgentOptions> options)
{
    public IReadOnlyList<string> Allowed => options.Value.App.Services;

    /// <summary>What a release switches when no service is named.</summary>
    public IReadOnlyList<string> ReleaseDefault =>
        options.Value.App.ReleaseServices is { Count: > 0 } release ? Allowed.Where(release.Contains).ToList() : Allowed;

    /// <summary>
    /// The data services (databases, caches): configured in Services but not in ReleaseServices. A
    /// switch never removes them, and adds them only when they are named. None when ReleaseServices is empty.
    /// </summary>
    public IReadOnlyList<string> DataServices =>
        options.Value.App.ReleaseServices is { Count: > 0 } release ? Allowed.Where(s => !release.Contains(s)).ToList() : [];

    /// <summary>The requested services in configuration order; the fallback (all allowed ones by default) when none are named.</summary>
    public IReadOnlyList<string> Select(IEnumerable<string> requested, IReadOnlyList<string>? fallback = null)
    {
        var names = requested.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var unknown = names.Where(n => !Allowed.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw AgentException.Invalid(
                $"host {options.Value.HostName} has no service {string.Join(", ", unknown)} that TeaFleet may touch; its services are: {string.Join(", ", Allowed)}");
        }

        return names.Count == 0 ? fallback ?? Allowed : Allowed.Where(names.Contains).ToList();
    }
}
