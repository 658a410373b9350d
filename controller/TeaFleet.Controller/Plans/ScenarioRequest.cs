namespace TeaFleet.Controller.Plans;

/// <summary>
/// What 'teafleet scenario NAME ENV' was given beside the name: --to (scenarios 1, 3, 4), and for scenario 5
/// --before (the incident's start: the newest verified backup before it is restored) and --patched (the code
/// to switch to; none: the code that matches the backup).
/// </summary>
public sealed record ScenarioRequest(string? To, DateTimeOffset? Before = null, string? Patched = null);
