using System.Globalization;
using TeaFleet.Agent.V1;
using TeaFleet.Controller.Agents;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// The backup an earlier step of the same run took (argument backup_step), found in the host's
/// catalogue by that step's operation id, so a migration names it as its fresh backup instead of
/// taking another. Empty when the step names none or its backup is not there: the agent then takes
/// a quick backup itself (a migration never runs without one).
/// </summary>
public static class FreshBackup
{
    public static string Of(AgentConnection agent, StepContext context, Grpc.Core.CallOptions options)
    {
        if (!context.Step.Arguments.TryGetValue("backup_step", out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return "";
        }

        var step = context.Plan.Steps.FirstOrDefault(s => s.Index == index && s.Host == context.Step.Host);
        if (step is null || OperationIdFor.Step(context.RunId, step) is not { } operationId)
        {
            return "";
        }

        var backups = agent.Database.ListBackups(new ListBackupsRequest(), options.WithDeadline(DateTime.UtcNow + AgentConnection.UnaryDeadline));
        return backups.Backups.FirstOrDefault(b => b.OperationId == operationId)?.Id ?? "";
    }
}
