namespace TeaFleet.Agent.Options;

public sealed class DockerOptions
{
    /// <summary>The host's Docker Engine API, e.g. unix:///var/run/docker.sock.</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";
}
