using TeaFleet.Agent.Model;
using TeaFleet.Agent.State;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>The ledger as callers read it: releases newest first, and the commit live now.</summary>
public sealed class ReleaseHistory(ReleaseLedger ledger)
{
    /// <summary>The newest releases (50 when 0), and the commit of the newest succeeded one ("" when none).</summary>
    public (IReadOnlyList<Release> Releases, string CurrentCommit) List(int limit) =>
        (ledger.List(limit > 0 ? limit : 50), ledger.Current()?.Commit ?? "");
}
