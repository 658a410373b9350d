using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations;

/// <summary>What an operation's body reports through: steps, log lines and progress, all into the operation's journal and stream.</summary>
public sealed class OperationContext(OperationRecord record, string hostName, TimeProvider time, CancellationToken cancellationToken)
{
    public string OperationId => record.Id;

    public OperationInfo Info => record.Info;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public void Report(string step, OperationPhase phase, string message, double percent = -1, long bytes = 0) =>
        record.Append(OperationRecord.NewEvent(time, step, phase, message) with { Host = hostName, Percent = percent, Bytes = bytes });

    public void Log(string step, string line) => Report(step, OperationPhase.Log, line);

    /// <summary>Runs one step: started, then succeeded with the body's summary, or failed with its error.</summary>
    public async Task<T> StepAsync<T>(string step, string description, Func<Task<(T Result, string Summary)>> body)
    {
        Report(step, OperationPhase.Started, description);
        try
        {
            var (result, summary) = await body();
            Report(step, OperationPhase.Succeeded, summary);
            return result;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            Report(step, OperationPhase.Cancelled, "cancelled");
            throw;
        }
        catch (Exception ex)
        {
            Report(step, OperationPhase.Failed, ex.Message);
            throw new StepFailedException(step, ex.Message, ex);
        }
    }

    public Task StepAsync(string step, string description, Func<Task<string>> body) =>
        StepAsync<bool>(step, description, async () => (true, await body()));
}
