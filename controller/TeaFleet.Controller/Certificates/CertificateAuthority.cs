using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TeaFleet.Controller.Certificates;

/// <summary>
/// Makes the fleet's own CA, the operator's client certificate and the agents' server certificates
/// (ECDSA P-256, PEM files, keys mode 0600). Existing files are never overwritten.
/// </summary>
public sealed class CertificateAuthority(string directory, TimeProvider timeProvider)
{
    public const string OperatorRole = "operator";
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public string Directory { get; } = Path.GetFullPath(directory);

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    public string CaKeyPath => Path.Combine(Directory, "ca.key");

    /// <summary>Creates ca.crt/ca.key and operator.crt/operator.key unless they exist.</summary>
    public IReadOnlyList<CertificateFiles> Init(string operatorName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var results = new List<CertificateFiles>();
        if (File.Exists(CaCertificatePath) || File.Exists(CaKeyPath))
        {
            results.Add(Existing("ca", CaCertificatePath, CaKeyPath));
        }
        else
        {
            var now = timeProvider.GetUtcNow();
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(new X500DistinguishedName("CN=TeaFleet fleet CA, O=TeaFleet"), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
            Write(CaCertificatePath, ca.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
            results.Add(new CertificateFiles("ca", CaCertificatePath, CaKeyPath, true, ca.Subject, ca.NotAfter.ToUniversalTime()));
        }

        var operatorCert = Path.Combine(Directory, "operator.crt");
        var operatorKey = Path.Combine(Directory, "operator.key");
        results.Add(File.Exists(operatorCert) || File.Exists(operatorKey)
            ? Existing("operator", operatorCert, operatorKey)
            : Issue("operator", operatorCert, operatorKey, $"CN={Escape(operatorName)}, OU={OperatorRole}, O=TeaFleet", null, null, [ClientAuth], 2));
        return results;
    }

    /// <summary>Creates NAME.crt/NAME.key for an agent (server and client auth, SAN DNS=NAME and the IP if given).</summary>
    public CertificateFiles IssueAgent(string name, IPAddress? address)
    {
        var cert = Path.Combine(Directory, name + ".crt");
        var key = Path.Combine(Directory, name + ".key");
        if (File.Exists(cert) || File.Exists(key))
        {
            return Existing(name, cert, key);
        }

        return Issue(name, cert, key, $"CN={Escape(name)}, OU=agent, O=TeaFleet", name, address, [ServerAuth, ClientAuth], 2);
    }

    private CertificateFiles Issue(string name, string certPath, string keyPath, string subject, string? dnsName, IPAddress? address, Oid[] usages, int years)
    {
        if (!File.Exists(CaCertificatePath) || !File.Exists(CaKeyPath))
        {
            throw new CertificateSetupException($"no fleet CA in {Directory} (ca.crt and ca.key). Run 'teafleet certs init --dir {Directory}' first.");
        }

        using var caCert = X509Certificate2.CreateFromPemFile(CaCertificatePath, CaKeyPath);
        if (!caCert.HasPrivateKey)
        {
            throw new CertificateSetupException($"{CaKeyPath} does not hold the CA's private key.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCert, true, false));
        if (dnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            if (address is not null)
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var now = timeProvider.GetUtcNow();
        var notAfter = now.AddYears(years);
        if (notAfter > caCert.NotAfter.ToUniversalTime())
        {
            notAfter = caCert.NotAfter.ToUniversalTime();
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(caCert, now.AddMinutes(-5), notAfter, serial);
        Write(certPath, issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), keyPath);
        return new CertificateFiles(name, certPath, keyPath, true, issued.Subject, issued.NotAfter.ToUniversalTime());
    }

    private static CertificateFiles Existing(string name, string certPath, string keyPath)
    {
        if (!File.Exists(certPath))
        {
            throw new CertificateSetupException($"{keyPath} exists but {certPath} does not. Move the key away (or restore the certificate) and run again.");
        }

        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        return new CertificateFiles(name, certPath, keyPath, false, cert.Subject, cert.NotAfter.ToUniversalTime());
    }

    private static void Write(string certPath, string certPem, string keyPem, string? keyPath = null)
    {
        keyPath ??= Path.ChangeExtension(certPath, ".key");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(keyPath, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(keyPem);
            writer.Write('\n');
        }

        File.WriteAllText(certPath, certPem + "\n");
    }

    private static string Escape(string value) =>
        value.IndexOfAny([',', '+', '"', '\\', '<', '>', ';', '=']) >= 0 ? "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : value;
}
