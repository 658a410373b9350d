namespace TeaFleet.Agent.Model;

/// <summary>A port TeaFleet's Block denied: by which operation, when, and the rule it replaced (none: null).</summary>
public sealed record FirewallBlock
{
    public int Port { get; init; }

    public string Protocol { get; init; } = "tcp";

    public string OperationId { get; init; } = "";

    public DateTimeOffset BlockedAt { get; init; }

    /// <summary>The rule for the port before the block; null when there was none (Allow deletes TeaFleet's deny).</summary>
    public FirewallRuleBefore? Before { get; init; }

    public string Rule => $"{Port}/{Protocol}";

    public string DescribeBefore() => Before?.Describe() ?? "no rule";
}
