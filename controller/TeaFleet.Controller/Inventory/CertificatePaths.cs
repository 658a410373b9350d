namespace TeaFleet.Controller.Inventory;

/// <summary>The fleet CA and the operator's client certificate and key (PEM files).</summary>
public sealed record CertificatePaths(string Ca, string Cert, string Key);
