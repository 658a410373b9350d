namespace TeaFleet.Agent.Model;

/// <summary>One configured queue as Redis has it: its type, its length (elements) and how many keys it is (a pattern: the matching keys).</summary>
public sealed record QueueLength(string Name, string Key, bool Pattern, QueueType Type, long Length, long Keys);
