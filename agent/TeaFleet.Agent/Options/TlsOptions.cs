namespace TeaFleet.Agent.Options;

public sealed class TlsOptions
{
    /// <summary>The fleet CA (PEM); only clients whose certificate chains to it are served.</summary>
    public string CaCertificate { get; set; } = "";

    /// <summary>This agent's certificate (PEM), made by `teafleet certs agent NAME`.</summary>
    public string Certificate { get; set; } = "";

    public string PrivateKey { get; set; } = "";

    /// <summary>The role a client certificate must carry (its OU) to be served.</summary>
    public string RequiredRole { get; set; } = "operator";
}
