namespace TeaFleet.Agent;

/// <summary>What kind of failure the caller can act on; Grpc/ErrorInterceptor turns it into a status code.</summary>
public enum FailureKind
{
    /// <summary>Bad input: a name, id or number the caller must fix.</summary>
    Invalid,

    /// <summary>The thing asked for does not exist on this host.</summary>
    NotFound,

    /// <summary>The host is not in a state that allows the call (configuration, a missing file, a plan that no longer matches).</summary>
    Precondition,

    /// <summary>Another mutating operation holds the host lock.</summary>
    Busy,

    /// <summary>A dependency (Docker, the database) is down; the one a caller may retry.</summary>
    Unavailable,
}
