using System.Security.Cryptography.X509Certificates;

namespace TeaFleet.Agent.Security;

/// <summary>
/// Accepts a client only when its certificate chains to the fleet CA (and to nothing else) and
/// carries the required role in its OU.
/// </summary>
public sealed class ClientCertificateValidator(X509Certificate2 fleetCa, string requiredRole, ILogger logger)
{
    public bool Validate(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(fleetCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (!chain.Build(certificate))
        {
            logger.LogWarning("Refused a client certificate {Subject}: it does not chain to the fleet CA ({Status})",
                certificate.Subject, string.Join(", ", chain.ChainStatus.Select(s => s.Status)));
            return false;
        }

        var role = RoleOf(certificate);
        if (!string.Equals(role, requiredRole, StringComparison.Ordinal))
        {
            logger.LogWarning("Refused a client certificate {Subject}: role {Role} is not {Required}", certificate.Subject, role, requiredRole);
            return false;
        }

        return true;
    }

    public static string RoleOf(X509Certificate2 certificate)
    {
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.GetSingleElementType().Value == "2.5.4.11")
            {
                return rdn.GetSingleElementValue() ?? "";
            }
        }

        return "";
    }
}
