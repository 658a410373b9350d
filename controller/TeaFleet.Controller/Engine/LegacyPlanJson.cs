using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Reads the plans the previous version journaled: steps as an operation name with an "arguments"
/// map of strings (services joined with commas, "release-services" for none, URLs joined with
/// spaces, numbers and flags as text). Each old step maps 1:1 onto the step record of its operation;
/// the line is rewritten into today's shape before it is read, so the rest of the controller only
/// knows typed steps. Conditions ("runs_if") were already written as today.
/// </summary>
public static class LegacyPlanJson
{
    private const string OldDefaultServices = "release-services";

    /// <summary>Whether a journal line is a run_started record of the old format (a step with "arguments").</summary>
    public static bool IsLegacy(string line) =>
        line.Contains("\"run_started\"", StringComparison.Ordinal) && line.Contains("\"arguments\":", StringComparison.Ordinal);

    /// <summary>The line with every old step rewritten into a typed step; lines of today's format come back unchanged.</summary>
    public static string Upgrade(string line)
    {
        var record = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("null record");
        if (record["plan"]?["steps"] is not JsonArray steps)
        {
            return line;
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is JsonObject step && step["arguments"] is JsonObject)
            {
                steps[i] = UpgradeStep(step);
            }
        }

        return record.ToJsonString();
    }

    private static JsonObject UpgradeStep(JsonObject old)
    {
        var operation = old["operation"]?.GetValue<string>() ?? throw new JsonException("an old plan step without an operation");
        var args = ((JsonObject)old["arguments"]!).ToDictionary(a => a.Key, a => a.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
        string Text(string key, string fallback = "") => args.TryGetValue(key, out var value) ? value : fallback;
        bool Flag(string key) => Text(key) == "true";
        JsonNode? Number(string key) => int.TryParse(Text(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : null;
        JsonArray List(string key, char separator) =>
            new([.. Text(key).Split(separator, StringSplitOptions.RemoveEmptyEntries).Where(s => s != OldDefaultServices).Select(s => (JsonNode?)JsonValue.Create(s))]);

        var step = new JsonObject { ["operation"] = operation };
        switch (operation)
        {
            case OperationKinds.ServicesRecreate:
                step["services"] = List("services", ',');
                step["commit"] = Text("commit");
                step["kind"] = Text("kind", "rollback");
                step["no_cache"] = Flag("no_cache");
                break;
            case OperationKinds.ServicesStop or OperationKinds.ServicesStart:
                step["services"] = List("services", ',');
                break;
            case OperationKinds.DatabaseBackup:
                step["kind"] = Text("kind", "quick");
                step["post_rollback"] = Flag("post_rollback");
                break;
            case OperationKinds.DatabaseVerify or OperationKinds.DatabaseRestore:
                step["backup_id"] = Text("backup");
                break;
            case OperationKinds.DatabasePrune:
                step["dry_run"] = Flag("dry_run");
                break;
            case OperationKinds.MigrationsCheck or OperationKinds.DatabaseCheck:
                step["expect_head"] = Text("expect_head");
                break;
            case OperationKinds.MigrationsUpgrade:
                step["revision"] = Text("revision", "head");
                step["backup_step"] = Number("backup_step");
                break;
            case OperationKinds.MigrationsDowngrade:
                step["steps"] = Number("steps") ?? JsonValue.Create(0);
                step["revision"] = Text("revision");
                step["backup_step"] = Number("backup_step");
                break;
            case OperationKinds.HealthCheck:
                step["urls"] = List("urls", ' ');
                break;
            case OperationKinds.SmokeTest:
                step["checks"] = List("checks", ',');
                step["base_url"] = Text("base_url");
                break;
            default:
                throw new JsonException($"an old plan step with an operation this version does not know: '{operation}'");
        }

        foreach (var key in new[] { "index", "host", "verification", "destructive", "on_failure", "runs_if" })
        {
            if (old[key] is { } value)
            {
                step[key] = value.DeepClone();
            }
        }

        return step;
    }
}
