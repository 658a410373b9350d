
namespace TeaFleet.Agent.Options;

/// <summary>The app's Compose project on this host.</summary>
public sealed class AppOptions
{
    /// <summary>The git checkout of the app (the runbook's /opt/team-evaluatie-app).</summary>
    public string CheckoutDir { get; set; } = "/opt/team-evaluatie-app";

    /// <summary>Compose files relative to the checkout.</summary>
    public List<string> ComposeFiles { get; set; } = [];

    public string ProjectName { get; set; } = "tea";

    /// <summary>The compose program and its leading arguments: ["docker", "compose"] or ["docker-compose"].</summary>
    public List<string> ComposeCommand { get; set; } = [];

    /// <summary>The only services TeaFleet may list or touch on this host.</summary>
    public List<string> Services { get; set; } = [];

    /// <summary>
    /// The services a deploy or rollback switches when the caller names none: the app's own code
    /// (backend, worker, frontend), not its data services. Empty means all of Services.
    /// </summary>
    public List<string> ReleaseServices { get; set; } = [];

    /// <summary>URLs that must answer 2xx after a switch (local to the host).</summary>
    public List<string> HealthUrls { get; set; } = [];

    /// <summary>How many releases' images are kept for a rollback without building.</summary>
    public int KeepReleases { get; set; } = 5;

    /// <summary>The Alembic versions directory in the checkout (e.g. backend/alembic/versions): each release's migration head is read from it. Empty: the app's migrations are not known.</summary>
    public string MigrationsPath { get; set; } = "";

    /// <summary>Environment variable the compose file reads the release commit from.</summary>
    public string ReleaseVariable { get; set; } = "TEA_RELEASE";

    public int VerifyTimeoutSeconds { get; set; } = 90;

    /// <summary>How long a one-shot service (a migrator, an init job) may run before the switch gives up on it.</summary>
    public int OneShotTimeoutSeconds { get; set; } = 900;

    /// <summary>The services a switch hands over without a gap (a stand-in behind the app's proxy); the others are recreated.</summary>
    public List<RollingService> Rolling { get; set; } = [];

    /// <summary>Seconds Docker gives a container to stop before it kills it.</summary>
    public int StopTimeoutSeconds { get; set; } = 10;
}
