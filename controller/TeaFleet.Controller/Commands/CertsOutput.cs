using TeaFleet.Controller.Certificates;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>Prints what a certs command made or kept.</summary>
public static class CertsOutput
{
    public static void Print(CommandOutput output, IReadOnlyList<CertificateFiles> files)
    {
        foreach (var f in files)
        {
            output.Json(new { type = "certificate", name = f.Name, certificate = f.CertificatePath, key = f.KeyPath, created = f.Created, subject = f.Subject, not_after = f.NotAfter });
            output.Line(f.Created
                ? $"[green]created[/] {CommandOutput.Esc(f.CertificatePath)} and {CommandOutput.Esc(f.KeyPath)} ({CommandOutput.Esc(f.Subject)}, valid until {f.NotAfter:yyyy-MM-dd})"
                : $"[yellow]kept[/] existing {CommandOutput.Esc(f.CertificatePath)} ({CommandOutput.Esc(f.Subject)}, valid until {f.NotAfter:yyyy-MM-dd}); delete it to make a new one");
        }
    }
}
