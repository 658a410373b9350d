using System.Text.Json.Serialization;
using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.State;

/// <summary>
/// The agent's own on-disk format (format version 2, see VersionedJson): snake_case names, enums by
/// name, times as ISO 8601. Source-generated, so Native AOT needs no reflection. Version 1 was the
/// protobuf JSON of the wire types, read by the Legacy* parsers.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(Release))]
[JsonSerializable(typeof(Backup))]
[JsonSerializable(typeof(OperationInfo))]
[JsonSerializable(typeof(OperationEvent))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(FirewallBlockSet))]
[JsonSerializable(typeof(MaintenanceFlag))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
