using System.Diagnostics;
using System.Globalization;
using System.Text;
using Capture.CaptureIngest.Domain.Standardization;
using Capture.CaptureIngest.Tests;

namespace Capture.Benchmarks;

/// <summary>
/// <c>photo-cpu</c>: the standardisation's cost without the system, in CPU time (so it can be compared while other work shares
/// the machine): libvips alone (the same decode → 480×640 crop → JPEG as <c>photo-ingest</c>) and the whole standardisation,
/// on N distinct copies of the same 6000×4000 JPEG (distinct bytes and names, so libvips' operation cache never helps),
/// one thread and two threads, with the engine's per-stage wall times. CPU time is the process's (all libvips and OpenCV
/// threads included). Knobs: <c>BENCHMARK_PHOTO_CPU_N</c> (photos per pass, default 24), <c>BENCHMARK_PHOTO_CPU_PHOTO</c>
/// (<c>good-landscape</c>, the default; <c>good</c> (4000×6000), <c>exif</c> (stored on its side), <c>too-far</c> (a far face), <c>no-face</c>),
/// <c>BENCHMARK_PHOTO_CPU_DETECTOR</c> (<c>BlazeFace</c>, the default, or <c>Haar</c>).
/// </summary>
public static class PhotoCpuBenchmark
{
    public const string Name = "photo-cpu";

    public static string Run()
    {
        var n = int.Parse(Environment.GetEnvironmentVariable("BENCHMARK_PHOTO_CPU_N") ?? "24", CultureInfo.InvariantCulture);
        var which = Environment.GetEnvironmentVariable("BENCHMARK_PHOTO_CPU_PHOTO") ?? "good-landscape";
        var sourcePath = which switch
        {
            "good" => TestPhotos.Good,
            "exif" => TestPhotos.ExifRotated,
            "too-far" => TestPhotos.TooFar,
            "no-face" => TestPhotos.NoFace,
            _ => TestPhotos.GoodLandscape,
        };
        var source = File.ReadAllBytes(sourcePath);
        if (Environment.GetEnvironmentVariable("BENCHMARK_CV_THREADS") is { } cvThreads)
        {
            OpenCvSharp.Cv2.SetNumThreads(int.Parse(cvThreads, CultureInfo.InvariantCulture));
        }

        if (Environment.GetEnvironmentVariable("BENCHMARK_VIPS_CACHE") is { } vipsCache)
        {
            NetVips.Cache.Max = int.Parse(vipsCache, CultureInfo.InvariantCulture);
        }

        if (Environment.GetEnvironmentVariable("BENCHMARK_VIPS_CONCURRENCY") is { } vipsThreads)
        {
            NetVips.NetVips.Concurrency = int.Parse(vipsThreads, CultureInfo.InvariantCulture);
        }

        var dir = Path.Combine(Path.GetTempPath(), $"photo-cpu-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        try
        {
            // Two sets of files: one per pass, so no pass reads a file (or a libvips cache entry) another pass made warm.
            string[] Files(string tag) => Enumerable.Range(0, n).Select(i =>
            {
                var p = Path.Combine(dir, $"{tag}-{i}.jpg");
                File.WriteAllBytes(p, TestImages.Unique(source));
                return p;
            }).ToArray();

            void Vips(string path) => LibvipsAlone.CentreCrop(path);

            var detector = Enum.Parse<FaceDetectorKind>(Environment.GetEnvironmentVariable("BENCHMARK_PHOTO_CPU_DETECTOR") ?? nameof(FaceDetectorKind.BlazeFace), ignoreCase: true);
            var options = new StandardizationOptions { FaceDetector = detector };
            if (Environment.GetEnvironmentVariable("BENCHMARK_DECODE_LONG_SIDE") is { } longSide)
            {
                options.DecodeLongSide = int.Parse(longSide, CultureInfo.InvariantCulture);
            }

            using var standardizer = new PhotoStandardizer(options);
            if (standardizer.FaceDetectorWarning is { } warning)
            {
                throw new InvalidOperationException(warning);
            }
            var stages = new Dictionary<string, double>();
            var passed = 0;
            void Engine(string path)
            {
                var r = standardizer.Standardize(path);
                lock (stages)
                {
                    passed += r.Report.Passed ? 1 : 0;
                    foreach (var (k, v) in r.StageMilliseconds)
                    {
                        stages[k] = stages.GetValueOrDefault(k) + v;
                    }
                }
            }

            var warm = Files("warm");
            var plan = LibvipsAlone.PlanOf(standardizer, warm[0]);
            void Same(string path) => LibvipsAlone.SameCrop(path, plan);
            foreach (var p in warm)
            {
                Vips(p);
                Same(p);
                Engine(p);
            }

            stages.Clear();
            passed = 0;
            var vips1 = Measure(Files("v1"), 1, Vips);
            var same1 = Measure(Files("s1"), 1, Same);
            var engine1 = Measure(Files("e1"), 1, Engine);
            var stageAverages = stages.ToDictionary(s => s.Key, s => s.Value / n);
            var passedOne = passed;
            var vips2 = Measure(Files("v2"), 2, Vips);
            var same2 = Measure(Files("s2"), 2, Same);
            var engine2 = Measure(Files("e2"), 2, Engine);

            var md = new StringBuilder();
            md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkContext.Machine()}; face detector {standardizer.FaceDetector}; OpenCV threads {OpenCvSharp.Cv2.GetNumThreads()}, libvips threads {NetVips.NetVips.Concurrency}; load average before {loadBefore}, after {File.ReadAllText("/proc/loadavg").Trim()}. Photo: {which} ({source.Length / 1024} KB), {n} distinct copies per pass; passed every measure: {passedOne}/{n}.");
            md.AppendLine();
            md.AppendLine("| pass | CPU ms per photo | wall photos/s |");
            md.AppendLine("| --- | ---: | ---: |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| libvips alone (centre crop), 1 thread | {vips1.CpuMs:0.0} | {vips1.Rate:0.00} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| libvips alone (the standardiser's decode 1/{plan.Shrink}, crop {plan.Width}×{plan.Height} at {plan.X},{plan.Y}, JPEG q{plan.Quality}), 1 thread | {same1.CpuMs:0.0} | {same1.Rate:0.00} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| whole standardisation, 1 thread | {engine1.CpuMs:0.0} | {engine1.Rate:0.00} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| libvips alone (centre crop), 2 threads | {vips2.CpuMs:0.0} | {vips2.Rate:0.00} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| libvips alone (the standardiser's decode, crop and encode), 2 threads | {same2.CpuMs:0.0} | {same2.Rate:0.00} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| whole standardisation, 2 threads | {engine2.CpuMs:0.0} | {engine2.Rate:0.00} |");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Standardisation ÷ libvips alone (centre crop): CPU per photo {vips1.CpuMs / engine1.CpuMs:0.00} × (1 thread), {vips2.CpuMs / engine2.CpuMs:0.00} × (2 threads); wall rate {engine2.Rate / vips2.Rate:0.00} × (2 threads).");
            md.AppendLine(CultureInfo.InvariantCulture, $"Standardisation ÷ libvips alone (same decode, crop and encode): CPU per photo {same1.CpuMs / engine1.CpuMs:0.00} × (1 thread), {same2.CpuMs / engine2.CpuMs:0.00} × (2 threads); wall rate {engine2.Rate / same2.Rate:0.00} × (2 threads).");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Peak RSS of the process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MB; libvips operation cache: {NetVips.Cache.Max} operations, {NetVips.Cache.Size} held, {NetVips.Stats.Mem / (1 << 20)} MB tracked now ({NetVips.Stats.MemHighwater / (1 << 20)} MB at most).");
            md.AppendLine();
            md.AppendLine("Stages (wall ms, mean over the 1-thread pass): " + string.Join(", ", stageAverages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:0.0}"))));
            return md.ToString();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (double CpuMs, double Rate) Measure(string[] files, int threads, Action<string> work)
    {
        var process = Process.GetCurrentProcess();
        GC.Collect();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = threads }, work);
        wall.Stop();
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds / files.Length, files.Length / wall.Elapsed.TotalSeconds);
    }
}
