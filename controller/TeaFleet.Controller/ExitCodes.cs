namespace TeaFleet.Controller;

/// <summary>The process exit codes; documented in --help and docs/controller.md.</summary>
public static class ExitCodes
{
    public const int Done = 0;
    public const int OperationFailed = 1;
    public const int BadInput = 2;
    public const int Unreachable = 3;
    public const int Refused = 4;
    public const int HostBusy = 5;
    public const int Cancelled = 130;

    public const string Help =
        "Exit codes: 0 done, 1 an operation failed, 2 bad usage or input (incl. inventory errors), 3 agent unreachable, " +
        "4 refused by policy (drill gate, confirmation), 5 busy (another run holds the environment, or a host lock is held), 130 cancelled (Ctrl+C; agent operations keep running).";
}
