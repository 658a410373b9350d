using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Commands;

/// <summary>Where 'certs' commands work: --dir, else the directory of the inventory's CA, else ./pki.</summary>
public static class CertificateDirectory
{
    public static string Resolve(string? dir, string? inventoryOption)
    {
        if (!string.IsNullOrWhiteSpace(dir))
        {
            return Path.GetFullPath(dir);
        }

        var path = InventoryLoader.ResolvePath(inventoryOption);
        if (File.Exists(path) && InventoryLoader.Load(path).Certificates is { } certificates)
        {
            return Path.GetDirectoryName(certificates.Ca)!;
        }

        return Path.GetFullPath("pki");
    }
}
