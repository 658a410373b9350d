namespace TeaFleet.Agent.Model;

public enum VerifyState
{
    Unspecified,
    Unverified,
    Verified,

    /// <summary>The checksum or the table of contents did not match: never restored.</summary>
    Failed,
}
