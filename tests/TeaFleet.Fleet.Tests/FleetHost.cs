namespace TeaFleet.Fleet.Tests;

/// <summary>A host of the sandbox fleet, looked at from outside the way an operator would: its Docker, its ports, its agent's files.</summary>
public sealed record FleetHost(string Name, string Address, string SandboxRoot, string Project = "tea")
{
    public string Dir => Path.Combine(SandboxRoot, "hosts", Name);

    public string DockerHost => "unix://" + Path.Combine(Dir, "docker.sock");

    public string AgentPidFile => Path.Combine(Dir, "agent.pid");

    public string DockerdPidFile => Path.Combine(Dir, "dockerd.pid");

    /// <summary>Compose service → container id, as `docker ps` on the host shows them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ContainerIdsAsync()
    {
        var output = await Processes.CheckedAsync("docker", "-H", DockerHost, "ps", "-a", "--no-trunc",
            "--filter", $"label=com.docker.compose.project={Project}",
            "--format", "{{.Label \"com.docker.compose.service\"}} {{.ID}}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>Compose service → container state ("running", "exited", ...) of the host's app project.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ContainerStatesAsync()
    {
        var output = await Processes.CheckedAsync("docker", "-H", DockerHost, "ps", "-a",
            "--filter", $"label=com.docker.compose.project={Project}",
            "--format", "{{.Label \"com.docker.compose.service\"}} {{.State}}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>Image id of a tag (changes when an image is rebuilt).</summary>
    public async Task<string> ImageIdAsync(string reference) =>
        (await Processes.CheckedAsync("docker", "-H", DockerHost, "image", "inspect", "--format", "{{.Id}}", reference)).Trim();

    public async Task<int> ImageCountAsync() =>
        (await Processes.CheckedAsync("docker", "-H", DockerHost, "image", "ls", "-q", "--no-trunc")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
