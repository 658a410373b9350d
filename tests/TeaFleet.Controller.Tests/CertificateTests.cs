using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using TeaFleet.Controller.Certificates;

namespace TeaFleet.Controller.Tests;

public sealed class CertificateTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void An_agent_certificate_from_certs_agent_passes_the_ca_and_name_checks()
    {
        using var dir = new TempDirectory();
        var ca = new CertificateAuthority(Path.Combine(dir.Path, "pki"), _time);
        ca.Init("alice");
        var files = ca.IssueAgent("prod-1", System.Net.IPAddress.Parse("10.77.0.21"));

        using var cert = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
        var check = AgentCertificateValidator.FromFile(ca.CaCertificatePath, _time).Validate(cert, "prod-1");

        Assert.True(check.Valid, check.Message);
        Assert.Equal(["prod-1"], AgentCertificateValidator.DnsNames(cert));
    }

    [Fact]
    public void An_agent_certificate_from_another_ca_is_rejected_as_wrong_ca()
    {
        using var dir = new TempDirectory();
        var ours = new CertificateAuthority(Path.Combine(dir.Path, "ours"), _time);
        ours.Init("operator");
        var theirs = new CertificateAuthority(Path.Combine(dir.Path, "theirs"), _time);
        theirs.Init("operator");
        var foreign = theirs.IssueAgent("prod-1", null);

        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(foreign.CertificatePath));
        var check = AgentCertificateValidator.FromFile(ours.CaCertificatePath, _time).Validate(cert, "prod-1");

        Assert.False(check.Valid);
        Assert.Equal(CertificateFailure.WrongCa, check.Failure);
        Assert.Contains("wrong CA", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_certificate_for_another_host_name_is_rejected_as_name_mismatch()
    {
        using var dir = new TempDirectory();
        var ca = new CertificateAuthority(dir.Path, _time);
        ca.Init("operator");
        var files = ca.IssueAgent("prod-1", null);

        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(files.CertificatePath));
        var check = AgentCertificateValidator.FromFile(ca.CaCertificatePath, _time).Validate(cert, "prod-2");

        Assert.Equal(CertificateFailure.NameMismatch, check.Failure);
        Assert.Contains("'prod-2'", check.Message, StringComparison.Ordinal);
        Assert.Contains("'prod-1'", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certs_init_and_agent_keep_existing_files_and_keys_are_private()
    {
        using var dir = new TempDirectory();
        var ca = new CertificateAuthority(dir.Path, _time);
        Assert.All(ca.Init("operator"), f => Assert.True(f.Created));
        var before = File.ReadAllText(ca.CaCertificatePath);
        Assert.True(ca.IssueAgent("staging-1", null).Created);

        Assert.All(ca.Init("operator"), f => Assert.False(f.Created));
        Assert.False(ca.IssueAgent("staging-1", null).Created);
        Assert.Equal(before, File.ReadAllText(ca.CaCertificatePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.CaKeyPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "staging-1.key")));
        }

        using var op = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dir.Path, "operator.crt")));
        Assert.Contains("OU=operator", op.Subject, StringComparison.Ordinal);
    }
}
