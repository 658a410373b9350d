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

    /// <summary>The caller's address the port stays open to (an allow rule of TeaFleet's before the deny); null when none.</summary>
    public string? KeptOpenFor { get; init; }

    /// <summary>ufw's arguments for the rule that keeps the port open to <see cref="KeptOpenFor"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> KeepOpenRule => KeptOpenFor is { } address ? ["allow", "proto", Protocol, "from", address, "to", "any", "port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];

    public string Rule => $"{Port}/{Protocol}";

    public string DescribeBefore() => Before?.Describe() ?? "no rule";
}
