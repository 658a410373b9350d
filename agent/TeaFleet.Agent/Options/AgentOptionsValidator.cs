using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TeaFleet.Agent.Options;

/// <summary>Checks the whole configuration at start-up and says, per problem, which key to fix.</summary>
public sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions o)
    {
        var errors = new List<string>();
        if (!HostNamePattern().IsMatch(o.HostName ?? ""))
        {
            errors.Add("Agent:HostName must be the host's inventory name (letters, digits, '.', '-'), e.g. \"prod-1\"");
        }

        if (!IPAddress.TryParse(o.Listen.Address, out var address))
        {
            errors.Add($"Agent:Listen:Address '{o.Listen.Address}' is not an IP address; give the address to listen on, e.g. \"10.0.0.5\"");
        }
        else if (o.Listen.Insecure && !IPAddress.IsLoopback(address))
        {
            errors.Add($"Agent:Listen:Insecure serves gRPC without TLS and is allowed only on a loopback address, not {o.Listen.Address}; remove it and configure Agent:Tls");
        }

        if (o.Listen.Port is < 1 or > 65535 || o.Listen.HealthPort is < 0 or > 65535 || o.Listen.Port == o.Listen.HealthPort)
        {
            errors.Add("Agent:Listen:Port (1-65535) and Agent:Listen:HealthPort (0-65535, 0 = off) must be valid and differ");
        }

        if (!o.Listen.Insecure)
        {
            foreach (var (key, path) in new[] { ("CaCertificate", o.Tls.CaCertificate), ("Certificate", o.Tls.Certificate), ("PrivateKey", o.Tls.PrivateKey) })
            {
                if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
                {
                    errors.Add($"Agent:Tls:{key} '{path}' does not exist; make the fleet's certificates with `teafleet certs init` and `teafleet certs agent {o.HostName}`");
                }
            }
        }

        if (string.IsNullOrWhiteSpace(o.StateDir))
        {
            errors.Add("Agent:StateDir must name a directory for the ledger and the operation journal, e.g. /var/lib/teafleet");
        }

        if (o.App.ComposeCommand.Count == 0)
        {
            errors.Add("Agent:App:ComposeCommand must name the compose program, e.g. [\"docker\", \"compose\"] or [\"docker-compose\"]");
        }

        if (o.App.ComposeFiles.Count == 0 || o.App.ComposeFiles.Any(f => Path.IsPathRooted(f) || f.Contains("..", StringComparison.Ordinal)))
        {
            errors.Add("Agent:App:ComposeFiles must list compose files relative to the checkout, e.g. [\"ops/docker/compose.prod.yml\"]");
        }

        if (o.App.Services.Count == 0 || o.App.Services.Any(s => !ServicePattern().IsMatch(s)))
        {
            errors.Add("Agent:App:Services must list the Compose services TeaFleet may touch, e.g. [\"backend\", \"worker\", \"frontend\"]");
        }

        if (o.App.ReleaseServices.Except(o.App.Services).ToList() is { Count: > 0 } strays)
        {
            errors.Add($"Agent:App:ReleaseServices names {string.Join(", ", strays)}, which Agent:App:Services does not allow; list only allowed services");
        }

        if (!ProjectPattern().IsMatch(o.App.ProjectName ?? ""))
        {
            errors.Add("Agent:App:ProjectName must be the Compose project name (lower-case letters, digits, '_', '-')");
        }

        if (Path.IsPathRooted(o.App.MigrationsPath) || o.App.MigrationsPath.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"Agent:App:MigrationsPath '{o.App.MigrationsPath}' must be relative to the checkout, e.g. \"backend/alembic/versions\"");
        }

        if (o.Database.Configured)
        {
            if (string.IsNullOrWhiteSpace(o.Database.User))
            {
                errors.Add("Agent:Database:User must name the database's owner role, e.g. \"tea\"");
            }

            if (o.Database.Port is < 1 or > 65535)
            {
                errors.Add($"Agent:Database:Port {o.Database.Port} is not a port (1-65535)");
            }

            if (!string.IsNullOrEmpty(o.Database.PasswordFile) && !File.Exists(o.Database.PasswordFile))
            {
                errors.Add($"Agent:Database:PasswordFile '{o.Database.PasswordFile}' does not exist; write the password into it (mode 0600) or remove the key");
            }

            if (!Path.IsPathRooted(o.BackupDir))
            {
                errors.Add($"Agent:BackupDir '{o.BackupDir}' must be an absolute path, e.g. /var/backups/tea");
            }

            if (o.Database.KeepLast < 1 || o.Database.KeepDailyDays < 0)
            {
                errors.Add("Agent:Database:KeepLast must be at least 1 and Agent:Database:KeepDailyDays at least 0");
            }
        }

        if (o.Migrations.Configured)
        {
            if (!ServicePattern().IsMatch(o.Migrations.Service ?? "") || !o.App.Services.Contains(o.Migrations.Service!))
            {
                errors.Add($"Agent:Migrations:Service '{o.Migrations.Service}' must be one of Agent:App:Services ({string.Join(", ", o.App.Services)}): the service whose image holds the app's Alembic");
            }

            if (string.IsNullOrWhiteSpace(o.App.MigrationsPath) || !o.Database.Configured)
            {
                errors.Add("Agent:Migrations needs Agent:App:MigrationsPath (where the scripts are in the checkout) and the Agent:Database section (the fresh backup before a migration, the check after); set both, or remove Agent:Migrations:Command");
            }

            if (o.Migrations.FreshBackupMinutes is < 1 or > 1440 || o.Migrations.TimeoutSeconds < 10)
            {
                errors.Add("Agent:Migrations:FreshBackupMinutes must be 1-1440 and Agent:Migrations:TimeoutSeconds at least 10");
            }
        }
        else if (o.Migrations.RunOnDeploy)
        {
            errors.Add("Agent:Migrations:RunOnDeploy needs Agent:Migrations:Command: a deploy's upgrade runs on the host that runs the migrations; set the command here, or remove RunOnDeploy");
        }

        ValidateQueue(o.Queue, errors);

        foreach (var url in o.App.HealthUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"Agent:App:HealthUrls has '{url}', which is not an http(s) URL");
            }
        }

        if (!ReleaseVariablePattern().IsMatch(o.App.ReleaseVariable ?? ""))
        {
            errors.Add("Agent:App:ReleaseVariable must be an environment variable name, e.g. TEA_RELEASE");
        }

        if (!Uri.TryCreate(o.Docker.Endpoint, UriKind.Absolute, out var docker) || docker.Scheme is not ("unix" or "tcp" or "http"))
        {
            errors.Add($"Agent:Docker:Endpoint '{o.Docker.Endpoint}' must be a unix:// or tcp:// URI, e.g. unix:///var/run/docker.sock");
        }

        if (o.Firewall.Ports.Any(p => p is < 1 or > 65535) || o.Firewall.Ports.Distinct().Count() != o.Firewall.Ports.Count)
        {
            errors.Add($"Agent:Firewall:Ports [{string.Join(", ", o.Firewall.Ports)}] must be distinct ports 1-65535, e.g. [80, 443]");
        }

        if (o.Firewall.Command.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Agent:Firewall:Command must be the ufw program and its leading arguments, e.g. [\"ufw\"] or [\"/usr/sbin/ufw\"], without empty items");
        }

        if (o.Firewall.Protocol is not ("tcp" or "udp"))
        {
            errors.Add($"Agent:Firewall:Protocol '{o.Firewall.Protocol}' must be \"tcp\" or \"udp\"");
        }

        ValidateMaintenance(o, errors);
        ValidateRolling(o, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateMaintenance(AgentOptions o, List<string> errors)
    {
        var m = o.Maintenance;
        if (!m.Configured)
        {
            if (m.ProxyService.Length > 0 || m.PageFile.Length > 0)
            {
                errors.Add("Agent:Maintenance:ProxyService and PageFile need Agent:Maintenance:Directory (the directory the app's nginx mounts), e.g. /var/lib/teafleet/maintenance; set it, or remove the section");
            }

            return;
        }

        if (!Path.IsPathRooted(m.Directory) || m.Directory.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"Agent:Maintenance:Directory '{m.Directory}' must be an absolute path without '..', e.g. /var/lib/teafleet/maintenance");
        }

        if (m.ProxyService.Length > 0 && !o.App.Services.Contains(m.ProxyService))
        {
            errors.Add($"Agent:Maintenance:ProxyService '{m.ProxyService}' must be one of Agent:App:Services ({string.Join(", ", o.App.Services)}): the service whose nginx serves the page");
        }

        if (m.PageFile.Length > 0 && !File.Exists(m.PageFile))
        {
            errors.Add($"Agent:Maintenance:PageFile '{m.PageFile}' does not exist; write the page there or remove the key (a plain built-in page is used)");
        }
    }

    private static void ValidateRolling(AgentOptions o, List<string> errors)
    {
        var release = o.App.ReleaseServices.Count > 0 ? o.App.ReleaseServices : o.App.Services;
        foreach (var r in o.App.Rolling)
        {
            var name = r.Service.Length > 0 ? r.Service : "(no Service)";
            if (!release.Contains(r.Service))
            {
                errors.Add($"Agent:App:Rolling '{name}' must be one of the release services ({string.Join(", ", release)}): the service a switch hands over");
            }

            if (r.Proxy.Length == 0 || r.Proxy == r.Service || !o.App.Services.Contains(r.Proxy))
            {
                errors.Add($"Agent:App:Rolling '{name}': Proxy '{r.Proxy}' must be another of Agent:App:Services ({string.Join(", ", o.App.Services)}): the nginx that forwards to it");
            }

            if (!ReleaseVariablePattern().IsMatch(r.PortVariable))
            {
                errors.Add($"Agent:App:Rolling '{name}': PortVariable '{r.PortVariable}' must name the environment variable that sets its port, e.g. TEA_BACKEND_PORT");
            }

            if (r.Ports.Count != 2 || r.Ports[0] == r.Ports[1] || r.Ports.Any(p => p is < 1 or > 65535))
            {
                errors.Add($"Agent:App:Rolling '{name}': Ports [{string.Join(", ", r.Ports)}] must be its own port and the stand-in's, two distinct ports 1-65535, e.g. [8000, 8001]");
            }

            if (!Path.IsPathRooted(r.UpstreamFile) || r.UpstreamFile.Contains("..", StringComparison.Ordinal) || r.UpstreamFile.EndsWith('/'))
            {
                errors.Add($"Agent:App:Rolling '{name}': UpstreamFile '{r.UpstreamFile}' must be an absolute file path without '..', e.g. /var/lib/teafleet/upstreams/backend.conf (the proxy includes it)");
            }

            if (!r.HealthPath.StartsWith('/'))
            {
                errors.Add($"Agent:App:Rolling '{name}': HealthPath '{r.HealthPath}' must start with '/', e.g. /health");
            }

            if (r.DrainSeconds is < 0 or > 600)
            {
                errors.Add($"Agent:App:Rolling '{name}': DrainSeconds {r.DrainSeconds} must be 0-600");
            }
        }

        var twice = o.App.Rolling.GroupBy(r => r.Service, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            errors.Add($"Agent:App:Rolling names {string.Join(", ", twice)} more than once; keep one entry per service");
        }
    }

    private static void ValidateQueue(QueueOptions q, List<string> errors)
    {
        if (!q.Configured)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(q.Host))
        {
            errors.Add("Agent:Queue:Host must name Redis's address as the agent reaches it, e.g. \"127.0.0.1\"");
        }

        if (q.Port is < 1 or > 65535)
        {
            errors.Add($"Agent:Queue:Port {q.Port} is not a port (1-65535)");
        }

        if (q.Database < 0)
        {
            errors.Add($"Agent:Queue:Database {q.Database} is not a Redis database number (0, 1, ...)");
        }

        if (q.TimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"Agent:Queue:TimeoutSeconds {q.TimeoutSeconds} must be 1-300");
        }

        if (!string.IsNullOrEmpty(q.PasswordFile) && !File.Exists(q.PasswordFile))
        {
            errors.Add($"Agent:Queue:PasswordFile '{q.PasswordFile}' does not exist; write Redis's password (its requirepass) into it (mode 0600) or remove the key");
        }

        for (var i = 0; i < q.Queues.Count; i++)
        {
            var queue = q.Queues[i];
            if (!QueueNamePattern().IsMatch(queue.Name ?? ""))
            {
                errors.Add($"Agent:Queue:Queues:{i}:Name '{queue.Name}' must be a name callers use (letters, digits, '.', '_', '-'), e.g. \"jobs\"");
            }
            else if (q.Queues.Take(i).Any(other => other.Name == queue.Name))
            {
                errors.Add($"Agent:Queue:Queues:{i}:Name '{queue.Name}' is used twice; give each queue its own name");
            }

            if (QueueKeys.Problem(queue.Key) is { } problem)
            {
                errors.Add($"Agent:Queue:Queues:{i}:Key '{queue.Key}' {problem}");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex QueueNamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$")]
    private static partial Regex ServicePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex ReleaseVariablePattern();
}
