using Spectre.Console;
using Spectre.Console.Cli;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Commands;

/// <summary>Registers every command (and the few services they take) on a Spectre command app, and runs it.</summary>
public static class CommandAppSetup
{
    /// <summary>
    /// Runs the command line: the one way in, for Program and the CLI tests alike.
    /// </summary>
    /// <param name="args">The command line as typed (global options may come first).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="readers">How commands reach the agents.</param>
    /// <param name="error">Where usage errors and bugs are written (stderr).</param>
    /// <param name="console">The console commands print to; null for the terminal.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static Task<int> RunAsync(
        IReadOnlyList<string> args, TimeProvider timeProvider, IFleetReaderFactory readers, TextWriter error, IAnsiConsole? console, CancellationToken cancellationToken)
    {
        var arguments = GlobalOptions.MoveToEnd([.. args]);
        var app = new CommandApp();
        app.Configure(config =>
        {
            if (console is not null)
            {
                config.ConfigureConsole(console);
            }

            _ = Configure(config, timeProvider, readers, arguments, error, cancellationToken);
        });
        return app.RunAsync(arguments, cancellationToken);
    }

    /// <param name="config">The app to configure.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="readers">How commands reach the agents.</param>
    /// <param name="args">The arguments the app will run with, for usage errors that name the command meant.</param>
    /// <param name="error">Where usage errors and bugs are written (stderr).</param>
    /// <param name="ctrlC">The operator's Ctrl+C: only a cancellation it caused exits 130.</param>
    /// <returns>The commands registered, with what each accepts.</returns>
    public static CommandCatalog Configure(IConfigurator config, TimeProvider timeProvider, IFleetReaderFactory readers, IReadOnlyList<string> args, TextWriter error, CancellationToken ctrlC = default)
    {
        config.Settings.Registrar.RegisterInstance(timeProvider);
        config.Settings.Registrar.RegisterInstance(readers);
        config.SetApplicationName("teafleet");
        config.UseAssemblyInformationalVersion();
        config.CancellationExitCode(ExitCodes.Cancelled);
        // An option a command does not have is an error, never ignored (relaxed parsing let
        // `deploy staging v3 --dry-run --yes` deploy): refused before anything is read or contacted.
        config.UseStrictParsing();
        var catalog = new CommandCatalog();
        config.SetExceptionHandler((e, _) =>
        {
            if (e is CommandAppException usage)
            {
                var (message, command) = UsageErrors.Describe(usage, args, catalog);
                UsageErrorPrinter.PrintUsage(error, message, command);
                return ExitCodes.BadInput;
            }

            // With an exception handler set, Spectre hands Ctrl+C here instead of returning its cancellation code.
            // Any other cancellation (a timeout inside a library) is a bug, reported as one below.
            if (e is OperationCanceledException && ctrlC.IsCancellationRequested)
            {
                return ExitCodes.Cancelled;
            }

            // A bug: the message on screen, the whole story in the log.
            Serilog.Log.Error(e, "unexpected error");
            UsageErrorPrinter.Print(error, e, ControllerLog.CurrentFile(timeProvider));
            return ExitCodes.OperationFailed;
        });

        Add<StatusCommand>(config, catalog, "status")
            .WithDescription("Every host of ENV (or all): reachable, agent and Docker version, lock, and each service's release, state, health and container.")
            .WithExample("status", "production", "-i", "deploy/dev/teafleet.yaml");
        Add<ReleasesCommand>(config, catalog, "releases")
            .WithDescription("The release ledger of each host of ENV, newest first.")
            .WithExample("releases", "production");
        Add<DiagnoseCommand>(config, catalog, "diagnose")
            .WithDescription("Read ENV's facts (services, crash loops, health URLs, error lines in each service's log, the database head against the live code, leftovers, failed operations, the queue) and answer with the runbook's decision matrix: the issue, its priority, the rollback type and the exact command to run, with the facts that led there. Reads only. Exit codes: 0 nothing wrong, 1 an issue found, 3 an agent unreachable (what was read is printed).")
            .WithExample("diagnose", "production")
            .WithExample("diagnose", "staging", "--json");
        Add<LogsCommand>(config, catalog, "logs")
            .WithDescription("The last lines of a service's container log on the hosts of ENV.")
            .WithExample("logs", "production", "backend", "--host", "prod-2", "--tail", "50");
        Add<DeployCommand>(config, catalog, "deploy")
            .WithDescription("Switch the services of ENV to REF, one host at a time (services.recreate kind=deploy). Production asks for confirmation unless --yes.")
            .WithExample("deploy", "staging", "v1.2.0");
        config.AddBranch("plan", plan =>
        {
            plan.SetDescription("Print the plan a command would run, step by step, and change nothing.");
            Add<PlanRollbackCommand>(plan, catalog, "plan rollback")
                .WithDescription("The rollback plan for ENV (what 'rollback' would do): its runbook type and why, and every step.")
                .WithExample("plan", "rollback", "production", "--json")
                .WithExample("plan", "rollback", "production", "--before", "2026-11-20 14:00");
            Add<PlanScenarioCommand>(plan, catalog, "plan scenario")
                .WithDescription("The plan 'teafleet scenario NAME ENV' would run, step by step; changes nothing.")
                .WithExample("plan", "scenario", "worker", "production")
                .WithExample("plan", "scenario", "bad-gateway", "production", "--to", "v1.1.0", "--json");
        });
        Add<RollbackCommand>(config, catalog, "rollback")
            .WithDescription("Rollback of ENV of the runbook's type: 1 (code only) when the target has the database's migration head, 2 (migrations downgraded first) when it has an older one, 3 (restore a backup, --type 3/--before/--backup). Hosts one at a time, each verified before the next. Production needs a successful staging drill of the same plan within the drill window (or --skip-drill --reason) and a confirmation (or --yes). " + ExitCodes.Help)
            .WithExample("rollback", "staging")
            .WithExample("rollback", "production", "--yes")
            .WithExample("rollback", "production", "--to", "v1.1.0", "--services", "backend,worker", "--skip-drill", "--reason", "INC-42 staging down")
            .WithExample("rollback", "production", "--before", "2026-11-20 14:00", "--reason", "INC-43 data corrupted");
        Add<MigrationsCommand>(config, catalog, "migrations")
            .WithDescription("The Alembic state of ENV on its 'database:' host: the database's revision, the live code's heads, whether the last upgrade failed, and what a downgrade left behind (the live schema against a backup's at the same head); --target REF adds the revisions to revert or apply and which leftovers they collide with. Reads only.")
            .WithExample("migrations", "production", "--target", "v3");
        Add<ScenarioCommand>(config, catalog, "scenario")
            .WithDescription("A scenario of the runbook's 'Rollback Scenarios & Solutions' on ENV: bad-gateway (1: the backend role's services back to the last good release, frontend untouched), migration-failed (2: as 'repair migration-failed'), worker (3: stop the worker, flush its queue on the database host, the worker back), frontend (4: the frontend role back), security (5: offline, the evidence on every host, the newest verified backup before --before restored, the --patched code, traffic back one host at a time; --before is required). Roles come from the inventory's 'roles:' (default: services named backend, frontend, worker). Production needs a staging drill of the same scenario and a confirmation (or --yes). " + ExitCodes.Help)
            .WithExample("scenario", "bad-gateway", "staging")
            .WithExample("scenario", "worker", "production", "--plan")
            .WithExample("scenario", "frontend", "production", "--to", "v1.1.0", "--yes", "--skip-drill", "--reason", "INC-46 blank pages")
            .WithExample("scenario", "security", "production", "--before", "2026-11-20 14:00", "--patched", "v1.2.1");
        config.AddBranch("repair", repair =>
        {
            repair.SetDescription("The runbook's scenarios that repair something in place.");
            Add<RepairMigrationCommand>(repair, catalog, "repair migration-failed")
                .WithDescription("Runbook scenario 2 (also: teafleet scenario migration-failed ENV): a migration failed half-way. Fresh backup, then complete it (upgrade head); only if that fails, downgrade one; only if that fails too, restore the newest verified backup. --plan prints it and changes nothing. " + ExitCodes.Help)
                .WithExample("repair", "migration-failed", "staging", "--plan");
            Add<RepairLeftoversCommand>(repair, catalog, "repair leftovers")
                .WithDescription("What a downgrade left behind in ENV's schema (see 'teafleet migrations ENV'): a quick backup, then each leftover nothing depends on dropped with a plain DROP (never CASCADE); what PostgreSQL refuses, and missing or changed objects, are listed for a person. --plan prints it and changes nothing. " + ExitCodes.Help)
                .WithExample("repair", "leftovers", "staging", "--plan")
                .WithExample("repair", "leftovers", "production", "--yes", "--reason", "INC-44 enum left by the 0002 downgrade");
        });
        Add<BlockCommand>(config, catalog, "block")
            .WithDescription("Block the public ports (the agents' Agent:Firewall:Ports, default 80 and 443) of every host of ENV (or --hosts) in ufw: the runbook's 'ufw deny 80; ufw deny 443'. Every other rule is kept; each agent records the rule a deny replaced, so 'allow' undoes exactly this. ufw missing or inactive on a host: refused with what to do. " + ExitCodes.Help)
            .WithExample("block", "production", "--yes", "--reason", "INC-45 security incident")
            .WithExample("block", "staging", "--hosts", "staging-1", "--plan");
        Add<AllowCommand>(config, catalog, "allow")
            .WithDescription("Undo TeaFleet's block of ENV's public ports, one host at a time (the runbook's gradual restoration): each host's health URLs answer before the next host lets its users in. Ports TeaFleet did not block are left as they are. " + ExitCodes.Help)
            .WithExample("allow", "production", "--yes");
        Add<MaintenanceCommand>(config, catalog, "maintenance")
            .WithDescription("Put the app's maintenance page up ('on') or take it down ('off', one host at a time, each host watched before the next) on every host of ENV (or --hosts): the runbook's Type 2 option A. The agents write the flag file the app's nginx checks on every request (Agent:Maintenance; docs/agent.md has the nginx snippet); nothing is stopped or reloaded. Not configured on a host: refused with what to configure. " + ExitCodes.Help)
            .WithExample("maintenance", "production", "on", "--yes", "--reason", "INC-46 Type 2 rollback")
            .WithExample("maintenance", "staging", "off", "--hosts", "staging-1");
        Add<BackupsCommand>(config, catalog, "backups")
            .WithDescription("The database backups of ENV (on its 'database:' host), newest first: id, time, kind, size, release, Alembic head, verified. --verify ID checks one; --prune deletes by the host's retention policy.")
            .WithExample("backups", "production")
            .WithExample("backups", "production", "--prune", "--dry-run");
        Add<BackupCommand>(config, catalog, "backup")
            .WithDescription("Back up ENV's database now: free space checked first, pg_dump to a partial file, fsynced, renamed, catalogued with size and sha256. --quick (default) or --full (verified).")
            .WithExample("backup", "production", "--quick");
        Add<RestoreCommand>(config, catalog, "restore")
            .WithDescription("Restore ENV's database from a backup id of 'teafleet backups ENV' (never a path): the backup is verified, a safety backup is taken and verified first, then the restore and a check. Prints the data-loss window. Production needs a restore drilled on staging and a confirmation (or --yes). " + ExitCodes.Help)
            .WithExample("restore", "staging", "20261120-140000-quick");
        Add<WatchCommand>(config, catalog, "watch")
            .WithDescription("Re-attach to an operation on HOST and follow it to its end; the exit code is the operation's.")
            .WithExample("watch", "prod-2", "20250101-120000-production-ab12.3.prod-2");
        Add<ResumeCommand>(config, catalog, "resume")
            .WithDescription("Continue a stopped or crashed run: a step left without an end is issued again with the same operation id (the agent attaches instead of re-running); a step that failed, was cancelled or interrupted is retried once as a new attempt with a new id (RUN_ID.STEP.HOST.aN).")
            .WithExample("resume", "20250101-120000-production-ab12");
        Add<RunsCommand>(config, catalog, "runs")
            .WithDescription("The runs in the controller's journal directory, newest first.");
        Add<ReportCommand>(config, catalog, "report")
            .WithDescription("(Re)write a run's incident report from its journal alone: STATE_DIR/reports/RUN_ID.md and RUN_ID.html (one self-contained page with a timeline), or into --out DIR; prints both paths. An unknown run id: exit 2, nothing written.")
            .WithExample("report", "20250101-120000-production-ab12")
            .WithExample("report", "20250101-120000-production-ab12", "--out", "incident", "--json");
        Add<ConfirmCommand>(config, catalog, "confirm")
            .WithDescription("Record in a run's journal that a checklist item only a person can do was done (who, when, --note); the report's checklist shows it as confirmed. Without ITEM: the run's open items with their commands. An item the run does not have: exit 2, nothing written.")
            .WithExample("confirm", "20250101-120000-production-ab12")
            .WithExample("confirm", "20250101-120000-production-ab12", "secrets-rotated", "--note", "DB and JWT secrets rotated, INC-51");
        config.AddBranch("certs", certs =>
        {
            certs.SetDescription("Make the fleet's certificates (CA, operator, agents).");
            Add<CertsInitCommand>(certs, catalog, "certs init")
                .WithDescription("Create the fleet CA (ca.crt/ca.key) and the operator's client certificate (operator.crt/.key). Existing files are kept.")
                .WithExample("certs", "init", "--dir", "pki", "--operator", "alice");
            Add<CertsAgentCommand>(certs, catalog, "certs agent")
                .WithDescription("Create NAME.crt/NAME.key for an agent (CN and SAN DNS = NAME, plus --ip), signed by the fleet CA. Existing files are kept.")
                .WithExample("certs", "agent", "prod-1", "--ip", "10.77.0.21");
        });
        return catalog;
    }

    private static ICommandConfigurator Add<TCommand>(IConfigurator config, CommandCatalog catalog, string name)
        where TCommand : class, ICommand
    {
        catalog.Add<TCommand>(name);
        return config.AddCommand<TCommand>(name);
    }

    private static ICommandConfigurator Add<TCommand>(IConfigurator<CommandSettings> branch, CommandCatalog catalog, string path)
        where TCommand : class, ICommandLimiter<CommandSettings>, ICommand
    {
        catalog.Add<TCommand>(path);
        return branch.AddCommand<TCommand>(path.Split(' ')[1]);
    }
}
