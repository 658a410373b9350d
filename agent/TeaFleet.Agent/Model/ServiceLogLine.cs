namespace TeaFleet.Agent.Model;

public sealed record ServiceLogLine(string Service, string Stream, string Line);
