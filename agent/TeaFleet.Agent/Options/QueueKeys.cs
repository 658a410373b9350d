namespace TeaFleet.Agent.Options;

/// <summary>What a configured queue key may be: a plain key, or a Redis glob pattern that starts with a literal prefix.</summary>
public static class QueueKeys
{
    private static readonly char[] Wildcards = ['*', '?', '['];

    /// <summary>Whether the key is a glob pattern (walked with SCAN MATCH) rather than one key.</summary>
    public static bool IsPattern(string key) => key.IndexOfAny(Wildcards) >= 0;

    /// <summary>Why a configured key cannot be used, or null when it can.</summary>
    public static string? Problem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "is empty; give the queue's Redis key, e.g. \"tea:jobs\", or a pattern, e.g. \"rq:queue:*\"";
        }

        if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "has a space or a control character; give the key as redis-cli's KEYS shows it";
        }

        // A pattern with nothing literal before its first wildcard ("*", "?x", "[ab]*") would match
        // keys of any app that shares the database: a flush of it is a FLUSHDB by another name.
        if (key.IndexOfAny(Wildcards) == 0 || key.StartsWith('\\'))
        {
            return "must start with a literal prefix (e.g. \"rq:queue:*\"): a pattern that starts with a wildcard matches every key of the database";
        }

        return null;
    }
}
