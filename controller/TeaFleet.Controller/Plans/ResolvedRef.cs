namespace TeaFleet.Controller.Plans;

/// <summary>A ref resolved on a host to its full commit.</summary>
public sealed record ResolvedRef(string Host, string Reference, string Commit, IReadOnlyList<string> Tags);
