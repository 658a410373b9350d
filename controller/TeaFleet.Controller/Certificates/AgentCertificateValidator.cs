using System.Security.Cryptography.X509Certificates;

namespace TeaFleet.Controller.Certificates;

/// <summary>
/// Checks an agent's server certificate: its chain must end at the fleet CA (and nothing else), and its
/// SAN DNS name must equal the host's inventory name. The address is usually an IP, so the name pins the agent.
/// </summary>
public sealed class AgentCertificateValidator(X509Certificate2 fleetCa, TimeProvider timeProvider)
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public static AgentCertificateValidator FromFile(string caPath, TimeProvider timeProvider)
    {
        if (!File.Exists(caPath))
        {
            throw new CertificateSetupException($"the fleet CA certificate {caPath} does not exist. Fix 'certificates: ca:' in the inventory or run 'teafleet certs init'.");
        }

        return new AgentCertificateValidator(X509Certificate2.CreateFromPem(File.ReadAllText(caPath)), timeProvider);
    }

    public CertificateCheck Validate(X509Certificate2? certificate, string expectedName)
    {
        if (certificate is null)
        {
            return new CertificateCheck(false, CertificateFailure.NoCertificate, "the agent presented no certificate");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(fleetCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = timeProvider.GetLocalNow().DateTime;
        if (!chain.Build(certificate))
        {
            var reasons = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return new CertificateCheck(false, CertificateFailure.WrongCa,
                $"wrong CA: the agent's certificate ({certificate.Subject}) does not chain to the fleet CA ({fleetCa.Subject}){(reasons.Length > 0 ? ": " + reasons : "")}");
        }

        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(fleetCa.RawDataMemory.Span))
        {
            return new CertificateCheck(false, CertificateFailure.WrongCa, $"wrong CA: the chain ends at {root.Subject}, not at the fleet CA");
        }

        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is not null && !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == ServerAuthOid))
        {
            return new CertificateCheck(false, CertificateFailure.NotForServer, $"the agent's certificate ({certificate.Subject}) is not a server certificate (no serverAuth usage); make one with 'teafleet certs agent NAME'");
        }

        var names = DnsNames(certificate);
        if (!names.Contains(expectedName, StringComparer.OrdinalIgnoreCase))
        {
            return new CertificateCheck(false, CertificateFailure.NameMismatch,
                $"name mismatch: the inventory expects host '{expectedName}' but the agent's certificate is for {(names.Count == 0 ? "no DNS name" : string.Join(", ", names.Select(n => $"'{n}'")))}; the address may point at the wrong host, or its certificate was made for another name ('teafleet certs agent {expectedName}')");
        }

        return CertificateCheck.Ok;
    }

    public static IReadOnlyList<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
}
