using TeaFleet.Controller.Output;

namespace TeaFleet.Controller.Tests;

/// <summary>The stderr text when Spectre fails before a command runs, or a bug escapes one.</summary>
public sealed class UsageErrorPrinterTests
{
    [Fact]
    public void A_usage_error_prints_the_message_and_the_help_line()
    {
        using var error = new StringWriter();

        UsageErrorPrinter.Print(error, new InvalidOperationException("Unknown option 'frobnicate'."), null);

        Assert.Equal(
            [
                "error: Unknown option 'frobnicate'.",
                "Run 'teafleet --help' or 'teafleet COMMAND --help'. " + ExitCodes.Help,
                "",
            ],
            error.ToString().Split(Environment.NewLine));
    }

    [Fact]
    public void A_usage_error_of_a_known_command_points_to_that_command_s_help()
    {
        using var error = new StringWriter();

        UsageErrorPrinter.PrintUsage(error, "plan rollback has no option '--servics'; did you mean '--services'?", "plan rollback");

        Assert.Equal(
            [
                "error: plan rollback has no option '--servics'; did you mean '--services'?",
                "Run 'teafleet plan rollback --help' for its arguments and options. " + ExitCodes.Help,
                "",
            ],
            error.ToString().Split(Environment.NewLine));
    }

    [Fact]
    public void A_bug_prints_its_type_and_points_to_the_log_file()
    {
        using var error = new StringWriter();

        UsageErrorPrinter.Print(error, new InvalidOperationException("boom"), "/var/log/teafleet-20261201.log");

        Assert.StartsWith("error: InvalidOperationException: boom (details in /var/log/teafleet-20261201.log)" + Environment.NewLine + "Run 'teafleet --help'", error.ToString(), StringComparison.Ordinal);
    }
}
