using TeaFleet.Agent.V1;
using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Output;

/// <summary>What 'releases' read from one host: its release ledger and the tags of the commits in it.</summary>
public sealed record HostReleases(HostConfig Host, ListReleasesResponse Response, IReadOnlyDictionary<string, IReadOnlyList<string>> Tags);
