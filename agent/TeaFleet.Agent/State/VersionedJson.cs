using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TeaFleet.Agent.State;

/// <summary>
/// One state record as one JSON object whose first member is its format version: {"v":2,...}.
/// A line without "v" is version 1 (protobuf JSON of the wire types, written before the agent had
/// a format of its own); a higher version than this agent knows is skipped, never misread.
/// </summary>
internal static class VersionedJson
{
    public const int Current = 2;

    private const string Prefix = "{\"v\":2,";

    public static string Format<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.Serialize(value, typeInfo);
        // Every state record has members, so the object is never "{}".
        return Prefix + json[1..];
    }

    /// <summary>The line's format version: 1 for the old protobuf JSON, else its "v".</summary>
    public static int VersionOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("v", out var v) && v.TryGetInt32(out var version) ? version : 1;

    /// <summary>Reads a record written in either format; null (and a warning) for a line it cannot read.</summary>
    public static T? Read<T>(string json, JsonTypeInfo<T> typeInfo, Func<JsonElement, T> legacy, ILogger logger, string path)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var version = VersionOf(document.RootElement);
            if (version == Current)
            {
                return document.RootElement.Deserialize(typeInfo);
            }

            if (version == 1)
            {
                return legacy(document.RootElement);
            }

            logger.LogWarning("Skipping a line of format version {Version} in {Path}: this agent reads versions 1-{Current}", version, path, Current);
            return null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            logger.LogWarning(ex, "Skipping an unreadable line of {Path}", path);
            return null;
        }
    }
}
