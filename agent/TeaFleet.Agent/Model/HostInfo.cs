namespace TeaFleet.Agent.Model;

/// <summary>What the host is and offers, asked before planning.</summary>
public sealed record HostInfo
{
    public string HostName { get; init; } = "";

    public string AgentVersion { get; init; } = "";

    public string DockerVersion { get; init; } = "";

    public string DockerError { get; init; } = "";

    public IReadOnlyList<DiskSpace> Disks { get; init; } = [];

    public LockInfo Lock { get; init; } = LockInfo.Free;

    public IReadOnlyList<string> Services { get; init; } = [];

    public IReadOnlyList<string> ReleaseServices { get; init; } = [];

    public IReadOnlyList<string> Features { get; init; } = [];

    public string ComposeProject { get; init; } = "";
}
