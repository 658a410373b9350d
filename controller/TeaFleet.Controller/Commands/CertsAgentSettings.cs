using System.ComponentModel;
using System.Net;
using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed partial class CertsAgentSettings : FleetSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The host's inventory name; it becomes the certificate's CN and SAN DNS name.")]
    public string Name { get; set; } = "";

    [CommandOption("--dir <DIR>")]
    [Description("Where the CA is and the files go. Default: the directory of the inventory's certificates.ca, else ./pki.")]
    public string? Dir { get; set; }

    [CommandOption("--ip <ADDRESS>")]
    [Description("Also put this IP address into the SAN.")]
    public string? Ip { get; set; }

    public IPAddress? IpAddress => Ip is null ? null : IPAddress.Parse(Ip);

    public override ValidationResult Validate()
    {
        if (!NamePattern().IsMatch(Name))
        {
            return ValidationResult.Error($"'{Name}' is not a host name: use lower-case letters, digits and '-' (the inventory name, e.g. prod-1).");
        }

        return Ip is not null && !IPAddress.TryParse(Ip, out _)
            ? ValidationResult.Error($"--ip '{Ip}' is not an IP address.")
            : ValidationResult.Success();
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
