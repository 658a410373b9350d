namespace TeaFleet.Agent.Operations.Forensics;

/// <summary>One container of the project as the bundle's containers.json lists it.</summary>
public sealed record ForensicContainer(
    string Name,
    string Id,
    string Service,
    string Image,
    string State,
    long RestartCount,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Labels);
