using Docker.DotNet.Models;

namespace TeaFleet.Agent.Adapters;

/// <summary>One sample of a container's resource use, as <c>docker stats --no-stream</c> shows it.</summary>
/// <param name="CpuPercent">CPU over the sample, in percent of one CPU (200 = two CPUs busy).</param>
/// <param name="OnlineCpus">The CPUs the container may use.</param>
/// <param name="MemoryBytes">Memory in use without the page cache (as docker stats computes it).</param>
/// <param name="MemoryLimitBytes">The container's memory limit (the host's memory when unlimited).</param>
public sealed record ContainerUsage(double CpuPercent, int OnlineCpus, long MemoryBytes, long MemoryLimitBytes)
{
    /// <summary>The CLI's own arithmetic: CPU delta over system delta times CPUs; memory usage less inactive_file (cgroup v2) or cache (v1).</summary>
    public static ContainerUsage Of(ContainerStatsResponse stats)
    {
        var cpus = (int)(stats.CPUStats?.OnlineCPUs ?? 0);
        if (cpus == 0)
        {
            cpus = stats.CPUStats?.CPUUsage?.PercpuUsage?.Count ?? 1;
        }

        var cpuDelta = (double)(stats.CPUStats?.CPUUsage?.TotalUsage ?? 0) - (stats.PreCPUStats?.CPUUsage?.TotalUsage ?? 0);
        var systemDelta = (double)(stats.CPUStats?.SystemUsage ?? 0) - (stats.PreCPUStats?.SystemUsage ?? 0);
        var cpu = cpuDelta > 0 && systemDelta > 0 ? cpuDelta / systemDelta * cpus * 100.0 : 0.0;

        var memory = stats.MemoryStats;
        var usage = (long)(memory?.Usage ?? 0);
        var cache = 0L;
        foreach (var key in (string[])["inactive_file", "total_inactive_file", "cache"])
        {
            if (memory?.Stats is { } s && s.TryGetValue(key, out var value))
            {
                cache = (long)value;
                break;
            }
        }

        return new ContainerUsage(Math.Round(cpu, 2), cpus, Math.Max(0, usage - cache), (long)(memory?.Limit ?? 0));
    }
}
