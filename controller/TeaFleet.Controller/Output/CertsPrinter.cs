using TeaFleet.Controller.Certificates;

namespace TeaFleet.Controller.Output;

/// <summary>Prints what a certs command made or kept (one <c>certificate</c> object per file with --json).</summary>
public static class CertsPrinter
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
