namespace TeaFleet.Agent.Options;

/// <summary>One queue of Agent:Queue:Queues: the name callers use and the Redis key or glob pattern it stands for.</summary>
public sealed class QueueKeyOptions
{
    /// <summary>What Queue.Flush takes, e.g. "jobs".</summary>
    public string Name { get; set; } = "";

    /// <summary>A Redis key ("tea:jobs", "celery") or a glob pattern with a literal prefix ("rq:queue:*").</summary>
    public string Key { get; set; } = "";
}
