using TeaFleet.Agent.Model;
using YamlDotNet.RepresentationModel;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// Reads the output of <c>compose config</c> (YAML, compose v1 and v2 alike): the services after
/// compose's own interpolation, merging and defaults. Through YamlDotNet's representation model (no
/// reflection, fit for Native AOT); only the keys TeaFleet decides on are read.
/// </summary>
public static class ComposeConfigReader
{
    public static ReleaseServiceSet Parse(string yaml, string commit)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidDataException($"compose config printed something that is not YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException("compose config printed no YAML mapping");
        }

        var services = new List<ComposeService>();
        if (Child(root, "services") is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode service)
                {
                    services.Add(ReadService(name, service));
                }
            }
        }

        return new ReleaseServiceSet(commit, services);
    }

    private static ComposeService ReadService(string name, YamlMappingNode service) => new()
    {
        Name = name,
        Image = Scalar(Child(service, "image")) ?? "",
        HasBuild = Child(service, "build") is YamlScalarNode { Value.Length: > 0 } or YamlMappingNode,
        Restart = Scalar(Child(service, "restart")) ?? "",
        DependsOn = DependsOn(Child(service, "depends_on")),
        HasHealthcheck = HasHealthcheck(Child(service, "healthcheck")),
        Profiles = Words(Child(service, "profiles")),
        NetworkMode = Scalar(Child(service, "network_mode")) ?? "",
        Command = Words(Child(service, "command")),
        Entrypoint = Words(Child(service, "entrypoint")),
    };

    /// <summary>The short form (a list: condition service_started) or the long one (a map of conditions).</summary>
    private static List<ServiceDependency> DependsOn(YamlNode? node) => node switch
    {
        YamlSequenceNode list => list.Children.Select(Scalar).OfType<string>().Select(s => new ServiceDependency(s, ServiceDependency.Started)).ToList(),
        YamlMappingNode map => map.Children
            .Where(c => c.Key is YamlScalarNode { Value: not null })
            .Select(c => new ServiceDependency(((YamlScalarNode)c.Key).Value!, Scalar(c.Value is YamlMappingNode m ? Child(m, "condition") : null) ?? ServiceDependency.Started))
            .ToList(),
        _ => [],
    };

    private static bool HasHealthcheck(YamlNode? node)
    {
        if (node is not YamlMappingNode map)
        {
            return false;
        }

        if (Scalar(Child(map, "disable")) is "true" or "True")
        {
            return false;
        }

        var test = Child(map, "test");
        return test is not YamlSequenceNode { Children: [YamlScalarNode { Value: "NONE" }, ..] } && (test is not null || map.Children.Count > 0);
    }

    /// <summary>A list of words: a YAML sequence, or a scalar split on spaces (compose's string form).</summary>
    private static List<string> Words(YamlNode? node) => node switch
    {
        YamlSequenceNode list => list.Children.Select(Scalar).OfType<string>().ToList(),
        YamlScalarNode { Value: { } text } => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
        _ => [],
    };

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => node is YamlScalarNode { Value: { } value } ? value : null;
}
