using System.Security.Cryptography.X509Certificates;
using Grpc.Core;

namespace TeaFleet.Agent.Grpc;

/// <summary>Who is calling, from the client certificate the TLS handshake already checked.</summary>
public static class CallerIdentity
{
    public static string Of(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        return certificate is null ? "local" : certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }
}
