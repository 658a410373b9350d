using YamlDotNet.RepresentationModel;

namespace TeaFleet.Controller.Inventory;

/// <summary>The inventory's 'roles:' section (which services play the runbook's backend, frontend and worker), at the top or per environment.</summary>
public sealed partial class InventoryLoader
{
    /// <summary>
    /// 'roles: { backend: [api], frontend: [admin], worker: [worker] }': per role a service name or a list of
    /// them; a role left out keeps <paramref name="fallback"/>'s services (the top's, else the role's own name).
    /// </summary>
    private ServiceRoles ReadRoles(YamlNode node, string where, ServiceRoles fallback)
    {
        var map = Mapping(node, where, "a mapping such as '{ backend: [api], frontend: [admin], worker: [worker] }'");
        CheckKeys(map, ServiceRoles.Names, where);
        var configured = new HashSet<string>(fallback.Configured, StringComparer.Ordinal);
        IReadOnlyList<string> Role(string role)
        {
            if (Get(map, role) is not { } value)
            {
                return fallback.Of(role);
            }

            var example = $"'{role}: [{(role == ServiceRoles.BackendRole ? "api" : role)}]'";
            IReadOnlyList<YamlNode> items = value switch
            {
                YamlSequenceNode list => list.Children.ToList(),
                YamlScalarNode { Value.Length: > 0 } => [value],
                _ => throw Error(value, $"'{role}' in {where} must be a service name or a list of them, such as {example}, not {Describe(value)}."),
            };
            if (items.Count == 0)
            {
                throw Error(value, $"'{role}' in {where} is an empty list. Name the compose services that play the {role}, such as {example}, or leave the key out for the service called '{role}'.");
            }

            var services = new List<string>();
            foreach (var item in items)
            {
                var service = item is YamlScalarNode { Value.Length: > 0 } s ? s.Value! : throw Error(item, $"'{role}' in {where} must list service names, not {Describe(item)}. Write e.g. {example}.");
                if (!NamePattern().IsMatch(service))
                {
                    throw Error(item, $"'{service}' in '{role}' of {where} is not a service name. Write it as the compose file does, e.g. {example}.");
                }

                if (!services.Contains(service, StringComparer.Ordinal))
                {
                    services.Add(service);
                }
            }

            configured.Add(role);
            return services;
        }

        return new ServiceRoles(Role(ServiceRoles.BackendRole), Role(ServiceRoles.FrontendRole), Role(ServiceRoles.WorkerRole)) { Configured = configured };
    }
}
