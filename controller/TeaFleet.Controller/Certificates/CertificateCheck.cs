namespace TeaFleet.Controller.Certificates;

/// <summary>The result of checking an agent's server certificate.</summary>
public sealed record CertificateCheck(bool Valid, CertificateFailure Failure, string Message)
{
    public static CertificateCheck Ok { get; } = new(true, CertificateFailure.None, "ok");
}
