namespace TeaFleet.Controller.Plans;

/// <summary>The code a rollback switches to (commit and tags), the services it switches, and what every host runs now.</summary>
public sealed record RollbackTarget(string Commit, IReadOnlyList<string> Tags, IReadOnlyList<string> Services, IReadOnlyDictionary<string, string> Current);
