using YamlDotNet.RepresentationModel;

namespace TeaFleet.Controller.Inventory;

/// <summary>Reading YAML nodes with errors that name FILE:LINE:COLUMN and say what to write instead.</summary>
public sealed partial class InventoryLoader
{
    private YamlMappingNode Mapping(YamlNode node, string what, string example) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be {example}, not {Describe(node)}.");

    private YamlSequenceNode Sequence(YamlNode node, string what, string example) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be {example}, not {Describe(node)}.");

    private string Scalar(YamlNode node, string what, string example) =>
        node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw Error(node, $"{what} must be a text value such as {example}, not {Describe(node)}.");

    private string RequiredScalar(YamlMappingNode map, YamlNode owner, string key, string what, string example)
    {
        var node = Get(map, key) ?? throw Error(owner, $"{what} is missing '{key}:'. Add '{example}'.");
        return Scalar(node, $"'{key}'", $"'{example}'");
    }

    private YamlScalarNode? OptionalScalar(YamlMappingNode map, string key)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        return node as YamlScalarNode is { Value.Length: > 0 } s
            ? s
            : throw Error(node, $"'{key}' must be a text value, not {Describe(node)}.");
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private string KeyName(YamlNode key) =>
        key is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(key, "a key must be a plain name.");

    private void CheckKeys(YamlMappingNode map, string[] allowed, string where)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = KeyName(key);
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                var suggestion = allowed.OrderBy(a => Distance(a, name)).First();
                var hint = Distance(suggestion, name) <= 3 ? $"Did you mean '{suggestion}:'? " : "";
                throw Error(key, $"unknown key '{name}' in {where}. {hint}Allowed keys: {string.Join(", ", allowed)}.");
            }
        }
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" } => "an empty value",
        YamlScalarNode s => $"the text '{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    private InventoryException Error(YamlNode node, string message) =>
        new($"{_file}:{node.Start.Line}:{node.Start.Column}: {message}");

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
