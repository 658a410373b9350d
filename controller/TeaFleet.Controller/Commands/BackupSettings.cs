using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TeaFleet.Controller.Commands;

public sealed class BackupSettings : FleetSettings
{
    [CommandArgument(0, "<ENV>")]
    [Description("The environment whose database to back up (on its 'database:' host).")]
    public string Environment { get; set; } = "";

    [CommandOption("--quick")]
    [Description("Fast compression, not verified right away (the runbook's backup_db.sh --quick). The default.")]
    public bool Quick { get; set; }

    [CommandOption("--full")]
    [Description("Stronger compression, verified (sha256 and pg_restore --list) as part of the backup.")]
    public bool Full { get; set; }

    [CommandOption("--forensic")]
    [Description("Keep the evidence of an incident (runbook scenario 5); verified.")]
    public bool Forensic { get; set; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why; recorded with the backup and in the journal.")]
    public string? Reason { get; set; }

    public TeaFleet.Agent.V1.BackupKind Kind => Full ? TeaFleet.Agent.V1.BackupKind.Full : Forensic ? TeaFleet.Agent.V1.BackupKind.Forensic : TeaFleet.Agent.V1.BackupKind.Quick;

    public override ValidationResult Validate() =>
        new[] { Quick, Full, Forensic }.Count(x => x) > 1
            ? ValidationResult.Error("give one of --quick, --full, --forensic.")
            : ValidationResult.Success();
}
