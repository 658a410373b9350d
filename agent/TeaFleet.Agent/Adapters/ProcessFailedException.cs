namespace TeaFleet.Agent.Adapters;

public sealed class ProcessFailedException(string message, ProcessResult result) : Exception(message)
{
    public ProcessResult Result { get; } = result;
}
