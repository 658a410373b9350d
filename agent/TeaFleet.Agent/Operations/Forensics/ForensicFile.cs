namespace TeaFleet.Agent.Operations.Forensics;

/// <summary>One file of a bundle: its path relative to the bundle, size and hex sha256.</summary>
public sealed record ForensicFile(string Path, long SizeBytes, string Sha256);
