using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Shared;

namespace TeaFleet.Controller.Commands;

public sealed class WatchSettings : FleetSettings
{
    [CommandArgument(0, "<HOST>")]
    [Description("The inventory host name (e.g. prod-2).")]
    public string Host { get; set; } = "";

    [CommandArgument(1, "<OPERATION_ID>")]
    [Description("The operation to follow (printed by rollback/deploy, or RUN_ID.STEP.HOST).")]
    public string OperationId { get; set; } = "";

    public override ValidationResult Validate() =>
        OperationIds.IsValid(OperationId) ? ValidationResult.Success() : ValidationResult.Error($"'{OperationId}' is not an operation id: {OperationIds.Describe}.");
}
