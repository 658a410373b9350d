namespace TeaFleet.Controller.Inventory;

/// <summary>
/// Which compose services play the runbook's roles (backend, frontend, worker) in this app. The inventory's
/// 'roles:' (per environment, else at the top) names them; a role it leaves out is the service of the
/// role's own name, as in the runbook's app.
/// </summary>
public sealed record ServiceRoles(IReadOnlyList<string> Backend, IReadOnlyList<string> Frontend, IReadOnlyList<string> Worker)
{
    public const string BackendRole = "backend";
    public const string FrontendRole = "frontend";
    public const string WorkerRole = "worker";

    /// <summary>The role names the inventory accepts under 'roles:'.</summary>
    public static readonly string[] Names = [BackendRole, FrontendRole, WorkerRole];

    /// <summary>The runbook's app: each role is the service of its name.</summary>
    public static readonly ServiceRoles Default = new([BackendRole], [FrontendRole], [WorkerRole]);

    /// <summary>Whether the role's services came from the inventory rather than the default.</summary>
    public IReadOnlySet<string> Configured { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The services of <paramref name="role"/> (one of <see cref="Names"/>).</summary>
    public IReadOnlyList<string> Of(string role) => role switch
    {
        BackendRole => Backend,
        FrontendRole => Frontend,
        WorkerRole => Worker,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };
}
