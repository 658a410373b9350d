namespace TeaFleet.Agent.Model;

/// <summary>Free and total bytes of the file system a path lives on; -1 when unknown.</summary>
public sealed record DiskSpace(string Label, string Path, long FreeBytes, long TotalBytes);
