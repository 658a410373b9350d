using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// A fleet CA and the certificates it signs, in the shape the controller's CertificateAuthority makes
/// them (ECDSA P-256, the role as OU, O=TeaFleet, an agent's SAN with its name and IP), made in memory
/// for one test run. Agent files are written as PEM, as `teafleet certs` writes them.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public TestCertificates(string name = "TeaFleet fleet CA")
    {
        Ca = CreateCa(name);
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>A CA of its own, as `teafleet certs init` makes one.</summary>
    public static X509Certificate2 CreateCa(string name)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}, O=TeaFleet"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Valid from a week ago, so that an already expired certificate can be issued under it.
        return request.CreateSelfSigned(now.AddDays(-7), now.AddYears(1));
    }

    /// <summary>An operator's client certificate (OU=operator, client auth), valid from five minutes ago for a day unless told otherwise.</summary>
    public X509Certificate2 IssueOperator(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        Issue($"CN={name}, OU=operator, O=TeaFleet", null, [ClientAuth], notBefore, notAfter);

    /// <summary>An agent's certificate (OU=agent, server and client auth, SAN DNS=name and IP=address).</summary>
    public X509Certificate2 IssueAgent(string name, IPAddress address) =>
        Issue($"CN={name}, OU=agent, O=TeaFleet", (name, address), [ServerAuth, ClientAuth], null, null);

    /// <summary>Writes ca.crt, NAME.crt and NAME.key (PEM) into the directory and returns their paths.</summary>
    public (string Ca, string Certificate, string PrivateKey) WriteAgentFiles(string directory, X509Certificate2 agent, string name)
    {
        var ca = Path.Combine(directory, "ca.crt");
        var certificate = Path.Combine(directory, name + ".crt");
        var key = Path.Combine(directory, name + ".key");
        File.WriteAllText(ca, Ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certificate, agent.ExportCertificatePem() + "\n");
        using var privateKey = agent.GetECDsaPrivateKey()!;
        File.WriteAllText(key, privateKey.ExportPkcs8PrivateKeyPem() + "\n");
        return (ca, certificate, key);
    }

    public void Dispose() => Ca.Dispose();

    private X509Certificate2 Issue(string subject, (string Dns, IPAddress Ip)? san, Oid[] usages, DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        if (san is { } names)
        {
            var builder = new SubjectAlternativeNameBuilder();
            builder.AddDnsName(names.Dns);
            builder.AddIpAddress(names.Ip);
            request.CertificateExtensions.Add(builder.Build());
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(Ca, notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
