using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Queue.Flush: the app's job queues emptied in Redis (runbook scenario 3, "clear Redis queue"), on the host
/// whose agent has Agent:Queue configured (the environment's database host). Only the configured queues'
/// keys are removed, never the whole database. Without Agent:Queue the agent refuses and the step fails
/// with its message.
/// </summary>
/// <param name="Queues">Names from the agent's Agent:Queue:Queues; empty: all of them.</param>
public sealed record FlushQueueStep(IReadOnlyList<string> Queues) : AgentStep
{
    protected override string OperationName => OperationKinds.QueueFlush;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() => [Arg("queues", QueuesText(Queues))];

    /// <summary>Queues as the plan shows them: the names, or what none means.</summary>
    public static string QueuesText(IReadOnlyList<string> queues) => queues.Count == 0 ? "every configured queue (Agent:Queue)" : string.Join(",", queues);
}
