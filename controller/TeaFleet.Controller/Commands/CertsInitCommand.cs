using Spectre.Console;
using TeaFleet.Controller.Certificates;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet certs init [--dir D] [--operator NAME]</c>: the fleet CA and the operator's client certificate.</summary>
public sealed class CertsInitCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<CertsInitSettings>(console)
{
    protected override Task<int> RunAsync(CertsInitSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var dir = CertificateDirectory.Resolve(settings.Dir, settings.Inventory);
        var files = new CertificateAuthority(dir, timeProvider).Init(settings.Operator);
        CertsPrinter.Print(output, files);
        return Task.FromResult(ExitCodes.Done);
    }
}
