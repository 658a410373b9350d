using TeaFleet.Shared;

namespace TeaFleet.Controller.Plans;

/// <summary>
/// Forensics.Collect: the incident's evidence on one host (runbook scenario 5, "create forensic backup"): its
/// env files, container logs and list, release ledger into a bundle under the agent's state dir, and on the
/// database host a verified forensic database backup (catalogued). It reads and copies; it changes no app.
/// </summary>
/// <param name="LogLines">Log lines per container; 0: the agent's default.</param>
public sealed record CollectForensicsStep(int LogLines = 0) : AgentStep
{
    protected override string OperationName => OperationKinds.ForensicsCollect;

    public override IReadOnlyList<KeyValuePair<string, string>> DescribeArguments() =>
        [Arg("log lines", LogLines == 0 ? "the agent's default" : LogLines.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
