namespace TeaFleet.Controller.Plans;

/// <summary>
/// What a switch to a release changes in a host's service set: services removed (the running release has
/// them, the target does not) and created (the other way round); <see cref="Defined"/>: every service the
/// target defines there (null: not known), for the health URLs that belong to a service.
/// </summary>
public sealed record ServiceChanges(IReadOnlyList<string> Removes, IReadOnlyList<string> Creates, IReadOnlyCollection<string>? Defined = null)
{
    public static readonly ServiceChanges None = new([], []);
}
