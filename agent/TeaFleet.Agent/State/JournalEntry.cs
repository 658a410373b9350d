using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.State;

/// <summary>
/// An operation as its journal file left it: its info, and, when it has no final event (the agent
/// stopped while it ran), the events it has; null events mean it ended and they stay on disk.
/// </summary>
public sealed record JournalEntry(OperationInfo Info, IReadOnlyList<OperationEvent>? UnfinishedEvents);
