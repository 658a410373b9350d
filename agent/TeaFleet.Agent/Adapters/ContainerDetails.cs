namespace TeaFleet.Agent.Adapters;

/// <summary>One container of the Compose project as Docker lists it, for the record (a forensic bundle's container list).</summary>
public sealed record ContainerDetails(
    string Name,
    string ContainerId,
    string Service,
    string Image,
    string State,
    long RestartCount,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Labels);
