using System.Diagnostics;
using Capture.AppHost.Hosting;
using Capture.Testing;

namespace Capture.Benchmarks;

/// <summary>The system under load: started once with its own servers, on free ports.</summary>
public sealed class BenchmarkContext(CaptureSystem system)
{
    public CaptureSystem System { get; } = system;

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = System.GatewayUri, Timeout = TimeSpan.FromMinutes(5) };
        return token is null ? client : client.WithToken(token);
    }

    /// <summary>Peak resident memory (VmHWM) of a service's process so far, in MB, read from /proc.</summary>
    public static double PeakResidentMegabytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>
    /// CPU seconds (user + system) used so far by a process and every live process below it (PostgreSQL's backends, a
    /// launcher's server), from /proc; clock ticks of 1/100 s.
    /// </summary>
    public static double CpuSeconds(int pid)
    {
        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var id))
            {
                continue;
            }

            try
            {
                // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime(15).
                var text = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                stats[id] = (int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]));
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        var total = 0L;
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (stats.TryGetValue(id, out var s))
            {
                total += s.Ticks;
            }

            foreach (var child in stats.Where(x => x.Value.Parent == id).Select(x => x.Key))
            {
                pending.Push(child);
            }
        }

        return total / 100.0;
    }

    /// <summary>CPU seconds the whole machine has spent busy (every process, everyone's), from /proc/stat.</summary>
    public static double MachineBusySeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (cpu.Sum() - cpu[3] - cpu[4]) / 100.0; // all but idle and iowait
    }

    public int ServicePid(string resourceName) =>
        System.Resources.Single(r => r.Name == resourceName).Pid ?? throw new InvalidOperationException($"{resourceName} has no PID.");

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}";

    public static Stopwatch Start() => Stopwatch.StartNew();
}
