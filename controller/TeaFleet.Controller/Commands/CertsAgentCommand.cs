using Spectre.Console;
using TeaFleet.Controller.Certificates;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary><c>teafleet certs agent NAME [--dir D] [--ip ADDRESS]</c>: an agent's server certificate signed by the fleet CA.</summary>
public sealed class CertsAgentCommand(IAnsiConsole console, TimeProvider timeProvider) : FleetCommand<CertsAgentSettings>(console)
{
    protected override Task<int> RunAsync(CertsAgentSettings settings, CommandOutput output, CancellationToken cancellationToken)
    {
        var dir = CertificateDirectory.Resolve(settings.Dir, settings.Inventory);
        var file = new CertificateAuthority(dir, timeProvider).IssueAgent(settings.Name, settings.IpAddress);
        CertsPrinter.Print(output, [file]);
        return Task.FromResult(ExitCodes.Done);
    }
}
