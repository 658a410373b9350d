namespace TeaFleet.Controller.Certificates;

/// <summary>Which check an agent certificate failed.</summary>
public enum CertificateFailure
{
    None,
    NoCertificate,
    WrongCa,
    NameMismatch,
    NotForServer,
}
