using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// How a Type 2 rollback stops its users' traffic (runbook Type 2 step 1), as the environment's
/// 'traffic:' chooses, checked against the hosts at plan time: 'stop' (frontend and backend stopped, the
/// default), 'block' (option B: the public ports denied in ufw, open to the controller; let back one host
/// at a time after the checks) or 'maintenance' (option A's page: the app's nginx shows the maintenance
/// page, the backend side stopped, the proxy kept running; the page taken down after the checks). A
/// choice the hosts cannot carry out is refused before anything changes, with what to configure.
/// </summary>
public sealed class Type2Traffic
{
    private Type2Traffic(TrafficOption option, IReadOnlyList<string> stop, IReadOnlyList<HostConfig> blocked, IReadOnlyDictionary<string, string> proxies)
    {
        Option = option;
        Services = stop;
        Blocked = blocked;
        Proxies = proxies;
    }

    public TrafficOption Option { get; }

    /// <summary>The runbook's "frontend backend" as the hosts have them (stop: all stopped; maintenance: all but each host's proxy).</summary>
    public IReadOnlyList<string> Services { get; }

    /// <summary>'block': the hosts whose public ports are denied (every host of the environment).</summary>
    public IReadOnlyList<HostConfig> Blocked { get; }

    /// <summary>'maintenance': per host, the service whose nginx serves the page (kept running).</summary>
    public IReadOnlyDictionary<string, string> Proxies { get; }

    public static async Task<Type2Traffic> ReadAsync(FleetFacts facts, CancellationToken cancellationToken)
    {
        var environment = facts.Environment;
        var services = await facts.TrafficServicesAsync(cancellationToken).ConfigureAwait(false);
        switch (environment.Traffic)
        {
            case TrafficOption.Block:
                var (blockable, unblockable) = await facts.BlockableHostsAsync(cancellationToken).ConfigureAwait(false);
                if (unblockable.Count > 0)
                {
                    throw FleetException.BadInput(
                        $"environment '{environment.Name}' has 'traffic: block', but not every host can block its public ports: {string.Join("; ", unblockable)}; nothing was changed.",
                        $"Make ufw active on those hosts (the agent never enables it), or choose another way in the inventory: 'traffic: stop' (stop frontend and backend) or 'traffic: maintenance' (a maintenance page).");
                }

                return new Type2Traffic(TrafficOption.Block, [], blockable, new Dictionary<string, string>());
            case TrafficOption.Maintenance:
                var (capable, not) = await facts.MaintenanceHostsAsync(cancellationToken).ConfigureAwait(false);
                if (not.Count > 0)
                {
                    throw FleetException.BadInput(
                        $"environment '{environment.Name}' has 'traffic: maintenance', but not every host can show the maintenance page: {string.Join("; ", not)}; nothing was changed.",
                        "Configure Agent:Maintenance (Directory, ProxyService) on those hosts and include the nginx snippet of docs/agent.md \"Maintenance page\" in the app's nginx, or choose another way in the inventory: 'traffic: stop' or 'traffic: block'.");
                }

                return new Type2Traffic(TrafficOption.Maintenance, services, [], capable.ToDictionary(c => c.Host.Name, c => c.Status.ProxyService, StringComparer.Ordinal));
            default:
                return new Type2Traffic(TrafficOption.Stop, services, [], new Dictionary<string, string>());
        }
    }

    /// <summary>The services stopped on a host: 'stop' all of <see cref="Services"/>, 'maintenance' all but the host's proxy, 'block' none.</summary>
    public IReadOnlyList<string> StoppedOn(HostConfig host) => Option switch
    {
        TrafficOption.Stop => Services,
        TrafficOption.Maintenance => Services.Where(s => s != Proxies.GetValueOrDefault(host.Name)).ToList(),
        _ => [],
    };

    /// <summary>
    /// Step 1: stop the traffic. Returns the stop steps' numbers (the way back starts what they stopped).
    /// A failure here stops the run; the way back starts what was stopped, and the next move says how to let
    /// traffic back where it was already blocked or the page is up.
    /// </summary>
    public IReadOnlyList<int> AddStop(StepList steps, EnvironmentConfig environment, string reason)
    {
        var letBack = LetBackCommand(environment.Name);
        if (Option == TrafficOption.Block)
        {
            steps.Block(Blocked, keepCaller: true, $"stop; nothing was migrated. The hosts blocked so far stay blocked: '{letBack}' lets traffic back");
            return [];
        }

        if (Option == TrafficOption.Maintenance)
        {
            foreach (var host in environment.Hosts)
            {
                steps.Add(new EnableMaintenanceStep(reason)
                {
                    KeepCaller = true,
                    Index = 0,
                    Host = host.Name,
                    Verification = $"agent: the maintenance flag written (page and passes first): {Proxies[host.Name]}'s nginx answers users 503 with the page from the next request on; the controller's address and loopback still reach the app",
                    OnFailure = $"stop; nothing was migrated. The pages put up so far stay up: '{letBack}' takes them down",
                });
            }
        }

        var first = steps.Next;
        foreach (var host in environment.Hosts)
        {
            var stop = StoppedOn(host);
            if (stop.Count == 0)
            {
                continue;
            }

            var why = Option == TrafficOption.Maintenance
                ? $"stop {PlanText.Traffic(stop)} behind the maintenance page, {Proxies[host.Name]} keeps serving it (runbook Type 2 step 1, option A)"
                : $"stop {PlanText.Traffic(stop)} (runbook Type 2 step 1, option A as its command writes it: no traffic reaches the app while its schema changes)";
            steps.Add(new StopServicesStep(stop) { Index = 0, Host = host.Name, Verification = $"agent: {why}; the containers are stopped", OnFailure = "stop; the way back starts what was stopped" });
        }

        return Enumerable.Range(first, steps.Next - first).ToList();
    }

    /// <summary>
    /// After the switch: services step 1 stopped that a switch of named services does not start (a Type 2 with
    /// --services backend stops the frontend too) are started again on their release, so a rollback that passes
    /// its checks never leaves them down. None when the switch takes every release service.
    /// </summary>
    public void AddStartUnswitched(StepList steps, EnvironmentConfig environment, IReadOnlyList<string> switched)
    {
        if (switched.Count == 0)
        {
            return;
        }

        foreach (var host in environment.Hosts)
        {
            var idle = StoppedOn(host).Where(s => !switched.Contains(s, StringComparer.Ordinal)).ToList();
            if (idle.Count > 0)
            {
                steps.Add(new StartServicesStep(idle)
                {
                    Index = 0,
                    Host = host.Name,
                    Verification = $"agent: {string.Join(", ", idle)}, stopped for the schema change and not switched (--services {string.Join(",", switched)}), started again on their release; running",
                    OnFailure = "stop; the way back restores the quick backup and switches the hosts back to the current code",
                });
            }
        }
    }

    /// <summary>After the checks, past the way back (a failure here does not undo the rollback): let the users back.</summary>
    public void AddLetBack(StepList steps, EnvironmentConfig environment)
    {
        if (Option == TrafficOption.Block)
        {
            steps.GradualAllow(Blocked);
        }
        else if (Option == TrafficOption.Maintenance)
        {
            steps.GradualMaintenanceOff(environment.Hosts);
        }
    }

    /// <summary>The command that lets users back after a failed run ('' for 'stop': the way back starts the services).</summary>
    public static string LetBackCommand(TrafficOption option, string environment) => option switch
    {
        TrafficOption.Block => $"teafleet allow {environment}",
        TrafficOption.Maintenance => $"teafleet maintenance {environment} off",
        _ => "",
    };

    private string LetBackCommand(string environment) => LetBackCommand(Option, environment);

    /// <summary>The plan note's sentence: which option, and why.</summary>
    public string Note(EnvironmentConfig environment) => Option switch
    {
        TrafficOption.Block =>
            $" Traffic ('traffic: block' in the inventory, runbook option B): the public ports of {string.Join(", ", Blocked.Select(h => h.Name))} are denied in ufw (open only to the controller, for its checks) while the schema changes, the services keep running, and traffic comes back one host at a time once the checks pass; a failure leaves them blocked ('{LetBackCommand(environment.Name)}').",
        TrafficOption.Maintenance =>
            $" Traffic ('traffic: maintenance' in the inventory, runbook option A's maintenance page): each host's nginx ({string.Join(", ", Proxies.Select(p => $"{p.Value} on {p.Key}"))}) shows the maintenance page (the controller's address passes, for its checks) and {PlanText.Traffic(Services.Where(s => !Proxies.Values.Contains(s)).ToList())} stop{(Services.Count(s => !Proxies.Values.Contains(s)) == 1 ? "s" : "")} behind it; the page comes down once the checks pass; a failure leaves it up ('{LetBackCommand(environment.Name)}').",
        _ =>
            $" Traffic ('traffic: stop', the inventory's default, runbook option A as its command writes it): {PlanText.Traffic(Services)} stop, so users get no answer while the schema changes; 'traffic: block' (ufw) or 'traffic: maintenance' (a maintenance page) in the inventory choose otherwise.",
    };

    /// <summary>
    /// After a failed run: where traffic is still kept out (the blocks and pages that succeeded and were
    /// not undone) and the command that lets it back; "" when nothing is.
    /// </summary>
    public static string StillOut(Plan plan, IReadOnlyDictionary<int, Engine.StepRecord> steps, string inventoryOption)
    {
        bool Succeeded(PlanStep s) => steps.TryGetValue(s.Index, out var r) && r.Result == Engine.StepResult.Succeeded;
        var blocked = plan.Steps.OfType<BlockTrafficStep>().Where(Succeeded).Select(s => s.Host)
            .Except(plan.Steps.OfType<AllowTrafficStep>().Where(Succeeded).Select(s => s.Host), StringComparer.Ordinal).ToList();
        var pages = plan.Steps.OfType<EnableMaintenanceStep>().Where(Succeeded).Select(s => s.Host)
            .Except(plan.Steps.OfType<DisableMaintenanceStep>().Where(Succeeded).Select(s => s.Host), StringComparer.Ordinal).ToList();
        var text = "";
        if (blocked.Count > 0)
        {
            text += $" Traffic is still blocked on {string.Join(", ", blocked)} (users get no answer, which is safer than a broken app); once the app is right, 'teafleet {inventoryOption} allow {plan.Environment}' lets it back one host at a time.";
        }

        if (pages.Count > 0)
        {
            text += $" The maintenance page is still up on {string.Join(", ", pages)}; once the app is right, 'teafleet {inventoryOption} maintenance {plan.Environment} off' takes it down.";
        }

        return text;
    }
}
