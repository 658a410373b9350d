using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TeaFleet.Controller.Inventory;

/// <summary>
/// Reads <c>teafleet.yaml</c> through YamlDotNet's representation model, so every error can name
/// FILE:LINE:COLUMN, say what is wrong and what to write instead.
/// </summary>
public sealed partial class InventoryLoader
{
    public const string DefaultFileName = "teafleet.yaml";
    public const string EnvironmentVariable = "TEAFLEET_INVENTORY";

    private static readonly string[] TopKeys = ["app", "state_dir", "certificates", "drill", "lease", "environments", "contacts", "roles"];
    private static readonly string[] CertificateKeys = ["ca", "cert", "key"];
    private static readonly string[] DrillKeys = ["window"];
    private static readonly string[] LeaseKeys = ["ttl", "renew_every"];
    private static readonly string[] EnvironmentKeys = ["health_urls", "hosts", "drill_required", "staging_for", "database", "smoke", "roles", "monitor", "traffic"];
    private static readonly string[] SmokeKeys = ["base_url", "checks"];
    private static readonly string[] SmokeCheckKeys = ["name", "method", "path", "body", "expect", "save"];
    private static readonly string[] HostKeys = ["name", "address"];
    private static readonly string[] HealthUrlKeys = ["url", "service"];
    private static readonly string[] ContactKeys = ["role", "name", "phone"];

    private readonly string _file;
    private readonly string _baseDir;

    private InventoryLoader(string file)
    {
        _file = file;
        _baseDir = System.IO.Path.GetDirectoryName(file) ?? ".";
    }

    /// <summary>The inventory path from the option, else TEAFLEET_INVENTORY, else ./teafleet.yaml.</summary>
    public static string ResolvePath(string? option) =>
        System.IO.Path.GetFullPath(!string.IsNullOrWhiteSpace(option)
            ? option
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnv ? fromEnv : DefaultFileName);

    public static FleetInventory Load(string path)
    {
        var file = System.IO.Path.GetFullPath(path);
        if (!File.Exists(file))
        {
            throw new InventoryException(
                $"{file}: the inventory file does not exist. Pass -i FILE, set {EnvironmentVariable}, or create {DefaultFileName} in the current directory (see docs/controller.md).");
        }

        return Parse(File.ReadAllText(file), file);
    }

    public static FleetInventory Parse(string text, string file)
    {
        var loader = new InventoryLoader(file);
        var stream = new YamlStream();
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet gives up on some malformed input (an unclosed [ or {) without a YamlException;
            // the parser's last event still says where.
            var at = parser.Current?.End ?? YamlDotNet.Core.Mark.Empty;
            throw new InventoryException(
                $"{file}:{at.Line}:{at.Column}: not valid YAML: a flow list '[...]' or mapping '{{...}}' is not closed. Close it, or write the items on their own lines.");
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message;
            var detail = e.Message;
            if (inner is not null && !detail.Contains(inner, StringComparison.Ordinal))
            {
                detail += " " + inner;
            }

            throw new InventoryException(
                $"{file}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {detail}. Check indentation (spaces, not tabs), quotes and that every key is followed by ': '.");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new InventoryException($"{file}:1:1: the inventory is empty. Start it with 'app: <name>' and an 'environments:' mapping (see docs/controller.md).");
        }

        if (stream.Documents.Count > 1)
        {
            throw loader.Error(stream.Documents[1].RootNode, "the inventory holds more than one YAML document. Keep a single document (remove the '---' separator).");
        }

        return loader.Read(stream.Documents[0].RootNode);
    }

    private FleetInventory Read(YamlNode root)
    {
        var top = Mapping(root, "the inventory", "a mapping with 'app:' and 'environments:'");
        CheckKeys(top, TopKeys, "the inventory");

        var app = RequiredScalar(top, root, "app", "the inventory", "app: team-evaluatie-app");
        var stateDir = OptionalScalar(top, "state_dir") is { } sd
            ? MakeAbsolute(ExpandHome(sd.Value!))
            : ExpandHome("~/.local/state/teafleet");

        CertificatePaths? certificates = null;
        if (Get(top, "certificates") is { } certNode)
        {
            var cert = Mapping(certNode, "certificates", "a mapping with ca:, cert: and key:");
            CheckKeys(cert, CertificateKeys, "certificates");
            certificates = new CertificatePaths(
                MakeAbsolute(RequiredScalar(cert, certNode, "ca", "certificates", "ca: pki/ca.crt")),
                MakeAbsolute(RequiredScalar(cert, certNode, "cert", "certificates", "cert: pki/operator.crt")),
                MakeAbsolute(RequiredScalar(cert, certNode, "key", "certificates", "key: pki/operator.key")));
        }

        var drill = DrillPolicy.Default;
        if (Get(top, "drill") is { } drillNode)
        {
            var d = Mapping(drillNode, "drill", "a mapping such as 'window: 24h'");
            CheckKeys(d, DrillKeys, "drill");
            if (OptionalScalar(d, "window") is { } w)
            {
                drill = new DrillPolicy(ParseDuration(w));
            }
        }

        var lease = LeasePolicy.Default;
        if (Get(top, "lease") is { } leaseNode)
        {
            var l = Mapping(leaseNode, "lease", "a mapping such as 'ttl: 120s' and 'renew_every: 30s'");
            CheckKeys(l, LeaseKeys, "lease");
            var ttlNode = OptionalScalar(l, "ttl");
            var renewNode = OptionalScalar(l, "renew_every");
            var ttl = ttlNode is null ? lease.Ttl : ParseDuration(ttlNode);
            if (ttl < LeasePolicy.MinTtl || ttl > LeasePolicy.MaxTtl)
            {
                throw Error(ttlNode!, $"'ttl: {ttlNode!.Value}' is out of range: an agent keeps a lease 5s to 1h without a renewal. Write e.g. 'ttl: 120s'.");
            }

            var renewEvery = renewNode is null ? TimeSpan.FromTicks(ttl.Ticks / 4) : ParseDuration(renewNode);
            if (renewEvery.Ticks * 2 > ttl.Ticks)
            {
                throw Error(renewNode ?? ttlNode!, $"'renew_every' ({renewEvery.TotalSeconds:0} s) must be at most half of 'ttl' ({ttl.TotalSeconds:0} s), so one lost renewal does not lose the lease. Write e.g. 'ttl: 120s' and 'renew_every: 30s'.");
            }

            lease = new LeasePolicy(ttl, renewEvery);
        }

        var envRoot = Get(top, "environments") ?? throw Error(root, "'environments:' is missing. Add it with at least one environment, e.g. 'environments:\\n  staging:\\n    hosts:\\n      - name: staging-1\\n        address: https://10.77.0.11:7443'.");
        var envs = Mapping(envRoot, "environments", "a mapping of environment name to its hosts (staging:, production:)");
        if (envs.Children.Count == 0)
        {
            throw Error(envRoot, "'environments:' is empty. Add at least one environment with hosts.");
        }

        var topRoles = Get(top, "roles") is { } topRolesNode ? ReadRoles(topRolesNode, "roles", ServiceRoles.Default) : ServiceRoles.Default;
        var environments = new List<EnvironmentConfig>();
        var hostNames = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in envs.Children)
        {
            environments.Add(ReadEnvironment(KeyName(keyNode), keyNode, valueNode, hostNames, certificates is not null, topRoles));
        }

        foreach (var env in environments.Where(e => e.StagingFor is not null))
        {
            if (!environments.Any(e => e.Name == env.StagingFor))
            {
                var node = ((YamlMappingNode)envs.Children[new YamlScalarNode(env.Name)]).Children[new YamlScalarNode("staging_for")];
                throw Error(node, $"'staging_for: {env.StagingFor}' names no environment of this inventory. Write one of: {string.Join(", ", environments.Select(e => e.Name))}.");
            }
        }

        var contacts = new List<Contact>();
        if (Get(top, "contacts") is { } contactsNode)
        {
            var list = Sequence(contactsNode, "contacts", "a list such as '- { role: primary, name: Jane, phone: \"+31 6 12345678\" }'");
            foreach (var item in list.Children)
            {
                var c = Mapping(item, "a contact", "'{ role: primary, name: Jane, phone: \"+31 6 12345678\" }'");
                CheckKeys(c, ContactKeys, "a contact");
                contacts.Add(new Contact(
                    RequiredScalar(c, item, "role", "a contact", "role: primary"),
                    RequiredScalar(c, item, "name", "a contact", "name: Jane Doe"),
                    RequiredScalar(c, item, "phone", "a contact", "phone: \"+31 6 12345678\"")));
            }
        }

        return new FleetInventory(_file, app, stateDir, certificates, drill, environments, contacts) { Lease = lease };
    }

    private EnvironmentConfig ReadEnvironment(string name, YamlNode keyNode, YamlNode node, Dictionary<string, YamlNode> hostNames, bool haveCertificates, ServiceRoles topRoles)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw Error(keyNode, $"environment name '{name}' is not allowed. Use lower-case letters, digits and '-', e.g. 'staging' or 'production'.");
        }

        var where = $"environment '{name}'";
        var env = Mapping(node, where, "a mapping with 'health_urls:' and 'hosts:'");
        CheckKeys(env, EnvironmentKeys, where);

        var healthUrls = new List<Uri>();
        var healthUrlServices = new Dictionary<Uri, string>();
        if (Get(env, "health_urls") is { } urlsNode)
        {
            foreach (var item in Sequence(urlsNode, $"{where} health_urls", "a list such as '[ \"http://10.77.0.11/health\" ]'").Children)
            {
                // A plain URL applies at every release; '{ url: ..., service: NAME }' only where the release defines NAME.
                string text;
                string? service = null;
                if (item is YamlMappingNode entry)
                {
                    CheckKeys(entry, HealthUrlKeys, $"{where} health URL");
                    text = RequiredScalar(entry, item, "url", "a health URL", "\"http://10.77.0.11/health\"");
                    service = OptionalScalar(entry, "service")?.Value;
                    if (service is not null && !NamePattern().IsMatch(service))
                    {
                        throw Error(item, $"'{service}' is not a service name. Write it as the compose file does, e.g. 'service: worker'.");
                    }
                }
                else
                {
                    text = Scalar(item, "a health URL or '{ url: ..., service: NAME }'", "\"http://10.77.0.11/health\"");
                }

                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw Error(item, $"'{text}' is not an absolute http(s) URL. Write it like \"http://10.77.0.11/health\".");
                }

                healthUrls.Add(uri);
                if (service is not null)
                {
                    healthUrlServices[uri] = service;
                }
            }
        }

        var hostsNode = Get(env, "hosts") ?? throw Error(node, $"{where} has no 'hosts:'. Add '    hosts:\\n      - name: {name}-1\\n        address: https://10.0.0.1:7443'.");
        var hostList = Sequence(hostsNode, $"{where} hosts", "a list of '- name: ...' / '  address: https://...:7443' entries");
        if (hostList.Children.Count == 0)
        {
            throw Error(hostsNode, $"{where} has an empty 'hosts:' list. Add at least one host with name and address.");
        }

        var hosts = new List<HostConfig>();
        foreach (var item in hostList.Children)
        {
            var h = Mapping(item, "a host", "'- name: prod-1' with 'address: https://10.77.0.21:7443' below it");
            CheckKeys(h, HostKeys, "a host");
            var hostName = RequiredScalar(h, item, "name", "a host", "name: prod-1");
            var nameNode = Get(h, "name")!;
            if (!NamePattern().IsMatch(hostName))
            {
                throw Error(nameNode, $"host name '{hostName}' is not allowed. Use lower-case letters, digits and '-' (it must match the DNS name in the agent's certificate), e.g. 'prod-1'.");
            }

            if (hostNames.TryGetValue(hostName, out var first))
            {
                throw Error(nameNode, $"host name '{hostName}' is used twice (first at line {first.Start.Line}). Give every host a name of its own.");
            }

            hostNames[hostName] = nameNode;
            var addressText = RequiredScalar(h, item, "address", "a host", "address: https://10.77.0.21:7443");
            var addressNode = Get(h, "address")!;
            if (!Uri.TryCreate(addressText, UriKind.Absolute, out var address)
                || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp)
                || address.AbsolutePath != "/" || !string.IsNullOrEmpty(address.Query))
            {
                throw Error(addressNode, $"'{addressText}' is not an agent address. Write scheme, host and port only, like 'https://10.77.0.21:7443'.");
            }

            if (address.Scheme == Uri.UriSchemeHttp && !IsLoopback(address))
            {
                throw Error(addressNode, $"'{addressText}' uses plain http on a non-loopback address. Use https:// (agents speak mTLS); http:// is only for 127.0.0.1, ::1 or localhost.");
            }

            if (address.Scheme == Uri.UriSchemeHttps && !haveCertificates)
            {
                throw Error(addressNode, $"'{addressText}' needs TLS certificates but the inventory has no 'certificates:' section. Add 'certificates:' with ca:, cert: and key: (make them with 'teafleet certs init').");
            }

            hosts.Add(new HostConfig(hostName, address, name));
        }

        var drillRequired = false;
        if (OptionalScalar(env, "drill_required") is { } dr)
        {
            drillRequired = dr.Value switch
            {
                "true" => true,
                "false" => false,
                _ => throw Error(dr, $"'drill_required: {dr.Value}' is not a boolean. Write 'drill_required: true' or 'drill_required: false'."),
            };
        }

        string? stagingFor = OptionalScalar(env, "staging_for")?.Value;
        var databaseHost = hosts[0].Name;
        if (OptionalScalar(env, "database") is { } db)
        {
            databaseHost = hosts.FirstOrDefault(h => h.Name == db.Value)?.Name
                ?? throw Error(db, $"'database: {db.Value}' names no host of {where}. Write the name of the host that runs PostgreSQL: one of {string.Join(", ", hosts.Select(h => h.Name))}.");
        }

        var smoke = Get(env, "smoke") is { } smokeNode ? ReadSmoke(smokeNode, where) : null;
        var roles = Get(env, "roles") is { } rolesNode ? ReadRoles(rolesNode, $"{where} roles", topRoles) : topRoles;
        var monitor = Get(env, "monitor") is { } monitorNode ? ReadMonitor(monitorNode, where) : MonitorConfig.Default;
        var traffic = OptionalScalar(env, "traffic") is { } trafficNode ? ReadTraffic(trafficNode, where) : TrafficOption.Stop;
        return new EnvironmentConfig(name, healthUrls, hosts, drillRequired, stagingFor, databaseHost, smoke, healthUrlServices) { Roles = roles, Monitor = monitor, Traffic = traffic };
    }

    internal static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

    private TimeSpan ParseDuration(YamlScalarNode node)
    {
        var match = DurationPattern().Match(node.Value ?? "");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            throw Error(node, $"'{node.Value}' is not a duration. Write a positive number with a unit: 90m, 24h or 2d (s, m, h, d).");
        }

        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
    }

    private string MakeAbsolute(string path) => System.IO.Path.GetFullPath(System.IO.Path.Combine(_baseDir, path));

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;

    [GeneratedRegex("^([0-9]+)(s|m|h|d)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
