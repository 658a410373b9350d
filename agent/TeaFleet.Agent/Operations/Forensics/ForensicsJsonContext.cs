using System.Text.Json.Serialization;

namespace TeaFleet.Agent.Operations.Forensics;

/// <summary>The bundle's JSON files (manifest.json, containers.json): snake_case, indented for a person to read, source-generated for Native AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ForensicManifest))]
[JsonSerializable(typeof(List<ForensicContainer>))]
internal sealed partial class ForensicsJsonContext : JsonSerializerContext;
