using System.Text.RegularExpressions;

namespace TeaFleet.Agent.Model;

/// <summary>
/// The release a service's container runs, from what the container is: its image's
/// <c>org.opencontainers.image.revision</c> label when present; else the newest ledger release whose
/// recorded image for that service is the container's image reference (what the switch created it from,
/// whatever the switch's result); else an image tag that is a full commit (<c>kiosk-api:&lt;40 hex&gt;</c>).
/// Empty when none of these tell.
/// </summary>
public static partial class RunningRelease
{
    /// <summary>The commit and where it was read ("label", "ledger", "tag"); ("", "") when unknown.</summary>
    public static (string Commit, string Source) Of(string service, string image, string label, IReadOnlyList<Release> newestFirst)
    {
        if (label.Length > 0)
        {
            return (label, "label");
        }

        if (image.Length == 0)
        {
            return ("", "");
        }

        var wanted = Normalise(image);
        var recorded = newestFirst.FirstOrDefault(r =>
            r.Commit.Length > 0 && r.Images.TryGetValue(service, out var i) && Normalise(i) == wanted);
        if (recorded is not null)
        {
            return (recorded.Commit, "ledger");
        }

        var tag = Tag(wanted);
        return tag is not null && FullCommit().IsMatch(tag) ? (tag.ToLowerInvariant(), "tag") : ("", "");
    }

    /// <summary>An image reference as Docker means it: without docker.io/(library/), with ":latest" when it has no tag or digest.</summary>
    public static string Normalise(string image)
    {
        var reference = image.Trim();
        foreach (var prefix in new[] { "docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/" })
        {
            if (reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                reference = reference[prefix.Length..];
                break;
            }
        }

        return reference.Contains('@', StringComparison.Ordinal) || Tag(reference) is not null ? reference : reference + ":latest";
    }

    private static string? Tag(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? reference[..at] : reference;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex FullCommit();
}
