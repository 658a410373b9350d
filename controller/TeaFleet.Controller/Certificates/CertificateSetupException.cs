namespace TeaFleet.Controller.Certificates;

/// <summary>The certificate files are not in a state the command can work with.</summary>
public sealed class CertificateSetupException(string message) : Exception(message);
