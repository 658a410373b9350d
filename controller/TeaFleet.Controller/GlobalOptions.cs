namespace TeaFleet.Controller;

/// <summary>
/// Lets the global options come before the command (<c>teafleet -i FILE rollback staging</c>), as the
/// runbook-style examples write them: Spectre.Console.Cli wants them after it, so they are moved there.
/// </summary>
public static class GlobalOptions
{
    public static string[] MoveToEnd(string[] args)
    {
        var leading = new List<string>();
        var i = 0;
        while (i < args.Length)
        {
            var a = args[i];
            if ((a is "-i" or "--inventory") && i + 1 < args.Length)
            {
                leading.Add(a);
                leading.Add(args[i + 1]);
                i += 2;
            }
            else if (a.StartsWith("--inventory=", StringComparison.Ordinal) || a == "--json")
            {
                leading.Add(a);
                i++;
            }
            else
            {
                break;
            }
        }

        if (leading.Count == 0 || i >= args.Length)
        {
            return args;
        }

        // Global options go after the command path but before "--"; for branches (plan, certs) after the sub-command.
        var rest = args[i..].ToList();
        return [.. rest, .. leading];
    }
}
