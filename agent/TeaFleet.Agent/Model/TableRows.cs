namespace TeaFleet.Agent.Model;

public sealed record TableRows(string Table, long Rows);
