namespace TeaFleet.Controller.Plans;

/// <summary>
/// What <see cref="Diagnoser"/> concluded: the main finding, further findings to handle after it, the
/// operator's calls a machine cannot make (data corruption), and every fact read.
/// </summary>
public sealed record Diagnosis(Finding Main, IReadOnlyList<Finding> Also, IReadOnlyList<Finding> OperatorCalls, IReadOnlyList<DiagnosisFact> Facts)
{
    /// <summary>Hosts that could not be read: the answer covers only the others.</summary>
    public IReadOnlyList<string> Unreachable => Facts.Where(f => f.Kind == "unreachable").Select(f => f.Host).ToList();

    /// <summary>0 nothing wrong, 1 an issue found, 3 a host could not be read.</summary>
    public int ExitCode => Unreachable.Count > 0 ? ExitCodes.Unreachable : Main.Id == Diagnoser.NothingWrong ? ExitCodes.Done : ExitCodes.OperationFailed;
}
