namespace TeaFleet.Agent.Adapters;

public sealed record GitCommit(string Commit, DateTimeOffset Time, string Author, string Subject, IReadOnlyList<string> Tags);
