using System.Text.Json.Serialization;

namespace TeaFleet.Agent;

public sealed record HealthReport(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("agent")] string Agent,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("docker")] string Docker,
    [property: JsonPropertyName("state_dir")] string StateDir,
    [property: JsonPropertyName("memory")] MemoryReport Memory);
