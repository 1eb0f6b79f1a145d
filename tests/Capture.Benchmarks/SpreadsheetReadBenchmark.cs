using System.Diagnostics;
using System.Globalization;
using System.Text;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Spreadsheets;

namespace Capture.Benchmarks;

/// <summary>
/// Reading a 20,000-student roster (.xlsx, 12 columns) with NPOI's whole-workbook model (the reader before) and with
/// the streaming XML reader (the reader now), each run in a fresh process of its own so that the peak resident memory
/// (VmHWM) is the reader's: time of the first (cold) and of later reads, bytes allocated by one read, and the peak
/// resident memory above the process's resident memory before the file was read. Needs no servers.
/// </summary>
public sealed class SpreadsheetReadBenchmark : IBenchmark
{
    private const int Rows = 20_000;
    private const int Processes = 3;
    private const int WarmReads = 5;

    private static readonly SheetLimits Limits = SheetLimits.Default with { MaxRows = Rows, Document = "roster", RowNoun = "students" };

    public string Name => "spreadsheet-read";

    public string Description => $"read a {Rows:N0}-row roster .xlsx with NPOI's model and with the streaming reader, each in fresh processes (no servers)";

    public bool NeedsSystem => false;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"capture-roster-{Guid.NewGuid():N}.xlsx");
        var extra = new[] { "major", "cohort", "remarks" };
        var header = RosterData.Header.Concat(extra).ToArray();
        var rows = RosterData.Rows(Rows).Select(r => RosterData.Cells(r).Concat(["法学", "2025届", "备注 " + r.StudentNumber]).ToArray());
        await File.WriteAllBytesAsync(file, RosterData.Workbook([header, .. rows], legacy: false), cancellationToken);
        try
        {
            var results = new Dictionary<string, List<ChildResult>>();
            foreach (var variant in new[] { "npoi", "streaming" })
            {
                results[variant] = [];
                for (var i = 0; i < Processes; i++)
                {
                    results[variant].Add(await RunChildAsync(variant, file, cancellationToken));
                }
            }

            static string Median(IEnumerable<double> values, string format)
            {
                var sorted = values.Order().ToList();
                return sorted[sorted.Count / 2].ToString(format, CultureInfo.InvariantCulture);
            }

            var size = new FileInfo(file).Length / 1024.0 / 1024.0;
            var markdown = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkContext.Machine()}. Roster: {Rows:N0} rows × {header.Length} columns, {size:0.0} MB .xlsx; medians of {Processes} fresh processes per reader.")
                .AppendLine()
                .AppendLine("| reader | first read, cold (ms) | later reads (ms) | allocated per read (MB) | peak RSS above start (MB) | peak RSS (MB) |")
                .AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var (variant, list) in results)
            {
                markdown.AppendLine(CultureInfo.InvariantCulture,
                    $"| {variant} | {Median(list.Select(r => r.ColdMs), "0")} | {Median(list.Select(r => r.WarmMs), "0")} | {Median(list.Select(r => r.AllocatedMb), "0")} | {Median(list.Select(r => r.PeakAboveStartMb), "0")} | {Median(list.Select(r => r.PeakMb), "0")} |");
            }

            return markdown.ToString();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record ChildResult(double ColdMs, double WarmMs, double AllocatedMb, double PeakAboveStartMb, double PeakMb);

    private static async Task<ChildResult> RunChildAsync(string variant, string file, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SpreadsheetReadBenchmark).Assembly.Location);
        }

        foreach (var argument in new[] { ChildFlag, variant, file })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("result ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The {variant} child printed no result (exit {child.ExitCode}): {output}");
        var v = line["result ".Length..].Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return new ChildResult(v[0], v[1], v[2], v[3], v[4]);
    }

    public const string ChildFlag = "--spreadsheet-read-child";

    /// <summary>In a fresh process: read the file once cold and <see cref="WarmReads"/> times warm, and print what it cost.</summary>
    public static int RunChild(string variant, string file)
    {
        Sheet ReadOnce()
        {
            using var stream = File.OpenRead(file);
            if (variant == "npoi")
            {
                return NpoiSheetReader.Read(stream, Limits);
            }

            var (sheet, error) = SpreadsheetReader.Read(stream, Limits);
            return sheet ?? throw new InvalidOperationException(error);
        }

        GC.Collect();
        var startKb = Kilobytes("VmRSS");
        File.WriteAllText("/proc/self/clear_refs", "5"); // the peak (VmHWM) starts again from here
        var watch = Stopwatch.StartNew();
        var first = ReadOnce();
        var coldMs = watch.Elapsed.TotalMilliseconds;
        if (first.Rows.Count != Rows)
        {
            throw new InvalidOperationException($"read {first.Rows.Count} rows");
        }

        var warm = new List<double>();
        var allocated = 0L;
        for (var i = 0; i < WarmReads; i++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            watch.Restart();
            ReadOnce();
            warm.Add(watch.Elapsed.TotalMilliseconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        var peakKb = Kilobytes("VmHWM");
        GC.KeepAlive(first);
        warm.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result {coldMs:0} {warm[warm.Count / 2]:0} {allocated / 1024.0 / 1024.0:0.0} {(peakKb - startKb) / 1024.0:0.0} {peakKb / 1024.0:0.0}"));
        return 0;
    }

    private static long Kilobytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
