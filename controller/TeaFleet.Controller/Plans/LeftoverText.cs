using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Plans;

/// <summary>How leftovers (what a downgrade left behind, Migrations.Leftovers) are named in plans, warnings and printouts.</summary>
public static class LeftoverText
{
    /// <summary>"TYPE public.order_status".</summary>
    public static string Label(SchemaDifference d) => d.Schema is "" or "-" ? $"{d.ObjectType} {d.Name}" : $"{d.ObjectType} {d.Schema}.{d.Name}";

    /// <summary>"extra", "missing", "changed".</summary>
    public static string Kind(SchemaDifferenceKind kind) => kind switch
    {
        SchemaDifferenceKind.Extra => "extra",
        SchemaDifferenceKind.Missing => "missing",
        SchemaDifferenceKind.Changed => "changed",
        _ => "unknown",
    };

    /// <summary>"extra TABLE public.audit_log": a difference by its kind and label (a deploy's way-back check names the ones known before it).</summary>
    public static string Difference(SchemaDifference d) => $"{Kind(d.Kind)} {Label(d)}";

    /// <summary>The objects only the live schema has (what a downgrade left behind).</summary>
    public static IReadOnlyList<SchemaDifference> Extras(LeftoversResponse? leftovers) =>
        leftovers is { Compared: true } ? leftovers.Differences.Where(d => d.Kind == SchemaDifferenceKind.Extra).ToList() : [];

    /// <summary>Where the reference schema comes from: "backup ID (reason)".</summary>
    public static string Reference(LeftoversResponse leftovers) => $"backup {leftovers.ReferenceBackupId} ({leftovers.Reason})";

    /// <summary>
    /// The roll-forward warning: each leftover named, "will collide with REV" where the target's upgrade
    /// scripts name it, and the repair command to run first; null when there are none.
    /// </summary>
    public static string? Warning(string environment, LeftoversResponse? leftovers)
    {
        var extras = Extras(leftovers);
        if (extras.Count == 0)
        {
            return null;
        }

        var colliding = extras.Where(e => e.CollidesWith.Count > 0).ToList();
        var named = string.Join(", ", extras.Select(e => Label(e) + (e.CollidesWith.Count > 0 ? $" (will collide with {string.Join(", ", e.CollidesWith)})" : "")));
        var what = colliding.Count > 0
            ? $"{colliding.Count} of them will collide with the upgrade this plan applies (its migrations create {(colliding.Count == 1 ? "it" : "them")} again and fail)"
            : "the upgrade's scripts do not name them, but they were left behind by a downgrade";
        return $"the database on {leftovers!.Host} has {extras.Count} leftover(s) of a downgrade: {named}; {what}. Run 'teafleet repair leftovers {environment}' first.";
    }
}
