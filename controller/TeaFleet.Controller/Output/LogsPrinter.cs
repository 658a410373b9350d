using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Output;

/// <summary>Prints container log lines: as they are (prefixed with the host when there are several), or one <c>log</c> object per line with --json.</summary>
public static class LogsPrinter
{
    public static void Line(CommandOutput output, string hostName, ServiceLogLine line, bool prefix)
    {
        if (output.IsJson)
        {
            output.Json(new { type = "log", host = hostName, service = line.Service, stream = line.Stream, line = line.Line });
        }
        else
        {
            output.Plain(prefix ? $"{hostName} | {line.Line}" : line.Line);
        }
    }
}
