using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>A host's release ledger as the agent reports it (newest first).</summary>
public sealed record HostLedger(string Host, IReadOnlyList<Release> Releases, string CurrentCommit);
