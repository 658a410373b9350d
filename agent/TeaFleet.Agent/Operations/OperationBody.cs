namespace TeaFleet.Agent.Operations;

/// <summary>The body of an operation: does the work, reports through the context, returns results for the final event.</summary>
public delegate Task<IReadOnlyDictionary<string, string>?> OperationBody(OperationContext context);
