namespace TeaFleet.Controller.Plans;

/// <summary>
/// The rollback's default target as <c>teafleet rollback</c> would choose it (<see cref="PreviousReleases"/>:
/// succeeded on every host, not ahead of the database), and how many migrations it would revert.
/// </summary>
/// <param name="Commit">The target; null when there is none (<paramref name="Why"/> says why).</param>
/// <param name="Why">The choice's reason, or why there is no target.</param>
/// <param name="DowngradeSteps">Migrations the target's head is behind the database (more than 0: a Type 2).</param>
public sealed record LastGoodRelease(string? Commit, string Why, int DowngradeSteps);
