namespace TeaFleet.Agent.Model;

/// <summary>The app checkout: its commit, branch, tags there and local changes (the first 20).</summary>
public sealed record SourceStatus(string Commit, bool Dirty, string Branch, IReadOnlyList<string> Tags, IReadOnlyList<string> Changes);
