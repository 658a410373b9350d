using System.Globalization;
using System.Text.Json;

namespace TeaFleet.Agent.State;

/// <summary>
/// Reads the protobuf JSON (Google.Protobuf's JsonFormatter) that state files held before format
/// version 2, by its field names, without the wire types: camelCase names, default values left out,
/// int64 as strings, enums by their proto names ("RELEASE_RESULT_SUCCEEDED") or numbers,
/// Timestamps as RFC 3339 strings with up to nine fraction digits.
/// </summary>
internal static class ProtoJson
{
    public static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public static long Long(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return 0;
        }

        return v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : v.GetInt64();
    }

    public static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static double Real(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return 0;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String => v.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var s => double.Parse(s!, CultureInfo.InvariantCulture),
            },
            _ => 0,
        };
    }

    public static DateTimeOffset? Timestamp(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // "2026-11-20T14:00:00.123456789Z": .NET keeps 7 fraction digits (100 ns), the agent never wrote finer.
        var text = v.GetString()!;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && text.EndsWith('Z'))
        {
            var fraction = text[(dot + 1)..^1];
            text = text[..dot] + (fraction.Length > 0 ? "." + fraction[..Math.Min(7, fraction.Length)] : "") + "Z";
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(s => s.GetString() ?? "").ToList()
            : [];

    public static IReadOnlyDictionary<string, string> Map(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object
            ? v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>An enum by its proto name (prefix + SCREAMING_SNAKE, e.g. "BACKUP_FORMAT_PLAIN_GZIP" → PlainGzip) or its number.</summary>
    public static TEnum EnumOf<TEnum>(JsonElement e, string name, string prefix)
        where TEnum : struct, Enum
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return default;
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            var number = (TEnum)(object)v.GetInt32();
            return System.Enum.IsDefined(number) ? number : default;
        }

        var text = v.GetString() ?? "";
        if (text.StartsWith(prefix, StringComparison.Ordinal))
        {
            text = text[prefix.Length..];
        }

        var pascal = string.Concat(text.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
        return System.Enum.TryParse<TEnum>(pascal, ignoreCase: false, out var value) ? value : default;
    }
}
