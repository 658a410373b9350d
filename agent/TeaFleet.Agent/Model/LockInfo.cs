namespace TeaFleet.Agent.Model;

/// <summary>Who holds the host lock, and since when; Held false when nobody does.</summary>
public sealed record LockInfo(bool Held, string OperationId = "", string Kind = "", string Holder = "", DateTimeOffset? Since = null)
{
    public static readonly LockInfo Free = new(false);
}
