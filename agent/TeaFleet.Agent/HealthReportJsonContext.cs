using System.Text.Json.Serialization;

namespace TeaFleet.Agent;

[JsonSerializable(typeof(HealthReport))]
public sealed partial class HealthReportJsonContext : JsonSerializerContext;
