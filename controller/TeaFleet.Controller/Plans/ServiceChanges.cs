namespace TeaFleet.Controller.Plans;

/// <summary>What a switch to a release changes in a host's service set: services removed (the running release has them, the target does not) and created (the other way round).</summary>
public sealed record ServiceChanges(IReadOnlyList<string> Removes, IReadOnlyList<string> Creates)
{
    public static readonly ServiceChanges None = new([], []);
}
