namespace TeaFleet.Agent.Model;

/// <summary>
/// The host's queues: whether any are configured (Message says what to set when not), where Redis is,
/// whether it answered (Error says why not) and each configured queue's length.
/// </summary>
public sealed record QueueStatus(
    bool Configured,
    string Message,
    string Address,
    int Database,
    bool Reachable,
    string Error,
    IReadOnlyList<QueueLength> Queues);
