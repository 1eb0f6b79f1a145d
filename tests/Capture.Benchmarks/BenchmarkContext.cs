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

    public int ServicePid(string resourceName) =>
        System.Resources.Single(r => r.Name == resourceName).Pid ?? throw new InvalidOperationException($"{resourceName} has no PID.");

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}";

    public static Stopwatch Start() => Stopwatch.StartNew();
}
