
namespace TeaFleet.Agent.Options;

public sealed class ListenOptions
{
    /// <summary>IP address the gRPC and health ports bind to.</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 7443;

    /// <summary>Plain HTTP port for GET /healthz (uptime monitors); 0 turns it off.</summary>
    public int HealthPort { get; set; } = 7080;

    /// <summary>Serve gRPC without TLS. Refused unless Address is a loopback address.</summary>
    public bool Insecure { get; set; }
}
