namespace TeaFleet.Agent.Model;

/// <summary>
/// The services a release's own compose files define (asked of compose, <c>config</c>, with the release
/// variable set to the commit), and what the agent concludes from them: which services are one-shots,
/// which images follow the release, which service runs the migrations.
/// </summary>
public sealed record ReleaseServiceSet(string Commit, IReadOnlyList<ComposeService> Services)
{
    public ComposeService? Find(string name) => Services.FirstOrDefault(s => s.Name == name);

    public bool Defines(string name) => Find(name) is not null;

    public IReadOnlyList<string> Names => Services.Select(s => s.Name).ToList();

    /// <summary>
    /// A one-shot (a migrator, an init job) runs to completion and exits 0: a service some other service
    /// depends on with <c>condition: service_completed_successfully</c>, or one whose restart policy is
    /// written as <c>"no"</c>. Its container is never expected to be running.
    /// </summary>
    public bool IsOneShot(string name) =>
        Find(name) is { } service &&
        (service.Restart == "no" || Services.Any(s => s.DependsOn.Any(d => d.Service == name && d.Condition == ServiceDependency.CompletedSuccessfully)));

    /// <summary>Whether the service's image follows the release (its reference contains the commit).</summary>
    public bool IsReleaseTagged(string name) =>
        Find(name) is { Image.Length: > 0 } service && Commit.Length > 0 && service.Image.Contains(Commit, StringComparison.Ordinal);

    /// <summary>
    /// The one-shot that runs the migrations at this release, when it can be told: one whose command or
    /// entrypoint runs alembic, else one whose command names a migrate script (<c>/app/migrate.sh</c>);
    /// empty when none does (the app migrates elsewhere, e.g. in its entrypoint at start-up).
    /// </summary>
    public string MigrationService
    {
        get
        {
            var oneShots = Services.Where(s => IsOneShot(s.Name)).ToList();
            static bool Mentions(ComposeService s, string word) =>
                s.Command.Concat(s.Entrypoint).Any(w => w.Contains(word, StringComparison.OrdinalIgnoreCase));
            return (oneShots.FirstOrDefault(s => Mentions(s, "alembic")) ?? oneShots.FirstOrDefault(s => Mentions(s, "migrat")))?.Name ?? "";
        }
    }

    /// <summary>
    /// The given services in an order compose would start them (what each depends on first), with the
    /// one-shots they depend on added (transitively): a one-shot a service waits for is never skipped.
    /// </summary>
    public IReadOnlyList<string> WithOneShotDependencies(IEnumerable<string> services)
    {
        var wanted = services.Distinct(StringComparer.Ordinal).ToList();
        var queue = new Queue<string>(wanted);
        while (queue.Count > 0)
        {
            foreach (var dependency in Find(queue.Dequeue())?.DependsOn ?? [])
            {
                if (IsOneShot(dependency.Service) && !wanted.Contains(dependency.Service, StringComparer.Ordinal))
                {
                    wanted.Add(dependency.Service);
                    queue.Enqueue(dependency.Service);
                }
            }
        }

        return StartOrder(wanted);
    }

    /// <summary>The given services in the given order, except that every service comes after those of them it depends on (a cycle keeps the given order).</summary>
    public IReadOnlyList<string> StartOrder(IEnumerable<string> services)
    {
        var given = services.Distinct(StringComparer.Ordinal).ToList();
        var ordered = new List<string>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string name)
        {
            if (ordered.Contains(name) || !visiting.Add(name))
            {
                return;
            }

            foreach (var dependency in Find(name)?.DependsOn ?? [])
            {
                if (given.Contains(dependency.Service, StringComparer.Ordinal))
                {
                    Visit(dependency.Service);
                }
            }

            ordered.Add(name);
        }

        foreach (var name in given)
        {
            Visit(name);
        }

        return ordered;
    }
}
