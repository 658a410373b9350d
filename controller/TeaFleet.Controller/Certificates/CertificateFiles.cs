namespace TeaFleet.Controller.Certificates;

/// <summary>What a certificate command did with one file pair.</summary>
public sealed record CertificateFiles(string Name, string CertificatePath, string KeyPath, bool Created, string Subject, DateTimeOffset NotAfter);
