using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.CaptureIngest.Domain.Standardization;
using Capture.CaptureIngest.Tests;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;

namespace Capture.Benchmarks;

/// <summary>
/// 6000×4000 camera JPEGs from 4 simulated stations through the gateway: upload → verdict on each station's live feed,
/// at rising open-loop rates (to find the knee), and flat out (throughput); next to the libvips-only rate of the same
/// decode-crop-encode and the whole standardisation in-process, on the same machine in the same run.
/// </summary>
public sealed class PhotoIngestBenchmark : IBenchmark
{
    private const int Stations = 4;
    private static readonly double[] Rates = [0.25, 0.5, 1, 1.5, 2, 3];
    private static readonly int StepSeconds = int.Parse(Environment.GetEnvironmentVariable("BENCHMARK_PHOTO_STEP_SECONDS") ?? "20", CultureInfo.InvariantCulture);
    private const int Burst = 40;

    public string Name => "photo-ingest";

    public string Description => "24 MP photos from 4 stations through the gateway: upload→verdict latency by rate, throughput, vs libvips alone";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var source = TestPhotos.Bytes(TestPhotos.GoodLandscape);
        using (var probe = NetVips.Image.NewFromBuffer(source))
        {
            Console.WriteLine($"source photo: {probe.Width}×{probe.Height}, {source.Length / 1024} KB");
        }

        var (vipsRate, sameRate, engineRate, engineMs) = InProcessRates(source);
        Console.WriteLine($"libvips alone: {vipsRate:0.00} photos/s (centre crop), {sameRate:0.00} (the standardiser's decode, crop and encode); whole standardisation in-process: {engineRate:0.00} photos/s ({engineMs:0} ms each on one core)");

        var school = RosterData.SchoolCode();
        using var admin = context.Client(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        var campus = await PostAsync(admin, "/api/scheduling/campuses", new { code = "bench", name = "基准校区" });
        var venue = await PostAsync(admin, "/api/scheduling/venues", new { campusId = campus, code = "photo", name = "图书馆", building = "图书馆", room = "B1" });
        var stations = new List<Guid>();
        for (var i = 1; i <= Stations; i++)
        {
            stations.Add(await PostAsync(admin, $"/api/scheduling/venues/{venue}/stations", new { code = $"P{i}", throughputPerHour = 120 }));
        }

        var token = TestTokens.For(CaptureRoles.StationOperator, subject: "bench-photographer", school: school, venue: venue.ToString());
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        using var http = new HttpClient(handler) { BaseAddress = context.System.GatewayUri, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var station in stations)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await http.GetAsync($"/api/capture/stations/{station}/photos", cancellationToken)).StatusCode != HttpStatusCode.OK)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("StationOpened did not reach CaptureIngest");
                }

                await Task.Delay(200, cancellationToken);
            }
        }

        var verdicts = new ConcurrentDictionary<Guid, DateTimeOffset>();
        using var stopFeeds = new CancellationTokenSource();
        using var feedHttp = new HttpClient { BaseAddress = context.System.GatewayUri, Timeout = Timeout.InfiniteTimeSpan };
        feedHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var feeds = stations.Select(s => Task.Run(() => FollowAsync(feedHttp, s, verdicts, stopFeeds.Token))).ToList();
        await Task.Delay(500, cancellationToken);

        var counter = 0;
        async Task<Sample> UploadAsync(int i, DateTimeOffset scheduled)
        {
            var station = stations[i % Stations];
            var n = Interlocked.Increment(ref counter);
            var content = new ByteArrayContent(TestImages.Unique(source));
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            try
            {
                using var response = await http.PostAsync($"/api/capture/stations/{station}/photos?shootNumber=P{i % Stations + 1}-{n:D4}", content, cancellationToken);
                var stored = DateTimeOffset.UtcNow;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    return new Sample(Guid.Empty, scheduled, stored, false);
                }

                var id = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
                return new Sample(id, scheduled, stored, true);
            }
            catch (HttpRequestException)
            {
                return new Sample(Guid.Empty, scheduled, DateTimeOffset.UtcNow, false);
            }
        }

        // Warm-up: a few photos so code paths are compiled.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => UploadAsync(i, DateTimeOffset.UtcNow)));
        await Task.Delay(5000, cancellationToken);

        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Machine: {BenchmarkContext.Machine()}. Source: a {source.Length / 1024} KB 6000×4000 JPEG of the test portrait (distinct bytes per upload). {Stations} stations, one feed (SSE) each; latency from the moment an upload was due (open loop) to its verdict on the feed. Every process on the same 2 cores.");
        markdown.AppendLine();
        markdown.AppendLine("| offered (photos/s) | photos | errors | verdicts | upload p50 (ms) | upload→verdict p50 (ms) | p95 (ms) | max (ms) |");
        markdown.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double? knee = null;
        foreach (var rate in Rates)
        {
            var count = (int)Math.Max(4, rate * StepSeconds);
            Console.WriteLine($"{rate} photos/s for {count / rate:0} s...");
            var start = DateTimeOffset.UtcNow.AddMilliseconds(200);
            var tasks = new List<Task<Sample>>();
            for (var i = 0; i < count; i++)
            {
                var due = start.AddSeconds(i / rate);
                var delay = due - DateTimeOffset.UtcNow;
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, cancellationToken);
                }

                tasks.Add(UploadAsync(i, due));
            }

            var samples = await Task.WhenAll(tasks);
            var row = await SummariseAsync(samples, verdicts, cancellationToken);
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {rate} | {count} | {row.Errors} | {row.Verdicts} | {row.UploadP50:0} | {row.P50:0} | {row.P95:0} | {row.Max:0} |");
            if (knee is null && (row.P95 > 1500 || row.Verdicts < samples.Length - row.Errors))
            {
                knee = rate;
            }
        }

        Console.WriteLine($"flat out: {Burst} photos, 4 uploaders...");
        // Where the flat-out phase spends its CPU: each resource of the system (its processes and their children), this
        // process (uploaders, feeds), and the machine as a whole (other people's work included).
        var resources = context.System.Resources.Where(r => r.Pid is not null).ToList();
        var cpuBefore = resources.ToDictionary(r => r.Name, r => BenchmarkContext.CpuSeconds(r.Pid!.Value));
        var selfBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var machineBefore = BenchmarkContext.MachineBusySeconds();
        var burstStart = DateTimeOffset.UtcNow;
        var queue = new ConcurrentQueue<int>(Enumerable.Range(0, Burst));
        var burstSamples = new ConcurrentBag<Sample>();
        await Task.WhenAll(Enumerable.Range(0, Stations).Select(async _ =>
        {
            while (queue.TryDequeue(out var i))
            {
                burstSamples.Add(await UploadAsync(i, DateTimeOffset.UtcNow));
            }
        }));
        var burst = await SummariseAsync([.. burstSamples], verdicts, cancellationToken);
        var lastVerdict = burstSamples.Where(s => s.Ok && verdicts.ContainsKey(s.Id)).Max(s => verdicts[s.Id]);
        var ingestRate = burst.Verdicts / (lastVerdict - burstStart).TotalSeconds;
        var cpuPerPhoto = resources.Select(r => (r.Name, Ms: (BenchmarkContext.CpuSeconds(r.Pid!.Value) - cpuBefore[r.Name]) * 1000 / Burst))
            .Append((Name: "benchmark process (uploaders, feeds)", Ms: (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - selfBefore) * 1000 / Burst))
            .Where(x => x.Ms >= 1)
            .OrderByDescending(x => x.Ms)
            .ToList();
        var machinePerPhoto = (BenchmarkContext.MachineBusySeconds() - machineBefore) * 1000 / Burst;
        await stopFeeds.CancelAsync();
        await Task.WhenAll(feeds);

        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Knee (first rate whose p95 upload→verdict passed 1.5 s or that lost verdicts): {(knee is null ? "none up to " + Rates[^1] + " photos/s" : knee + " photos/s")}.");
        markdown.AppendLine();
        markdown.AppendLine("| measure | photos/s |");
        markdown.AppendLine("| --- | ---: |");
        markdown.AppendLine(CultureInfo.InvariantCulture, $"| libvips alone: decode (shrink-on-load as far as 480×640 allows) → centre crop → JPEG, 2 threads, in-process | {vipsRate:0.00} |");
        markdown.AppendLine(CultureInfo.InvariantCulture, $"| libvips alone: the standardiser's own decode (its shrink-on-load), crop (the face's rectangle), scale and one JPEG encode, 2 threads, in-process | {sameRate:0.00} |");
        markdown.AppendLine(CultureInfo.InvariantCulture, $"| whole standardisation (face, crop, quality, JPEG size search), 2 threads, in-process | {engineRate:0.00} |");
        markdown.AppendLine(CultureInfo.InvariantCulture, $"| through the gateway, {Burst} photos flat out, upload to last verdict | {ingestRate:0.00} ({ingestRate / vipsRate:0.00} × the centre crop, {ingestRate / sameRate:0.00} × the same decode-crop-encode) |");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"CPU per photo in the flat-out phase (ms, until the feeds stopped): {string.Join(", ", cpuPerPhoto.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Name} {x.Ms:0}")))}; total {cpuPerPhoto.Sum(x => x.Ms):0}; the whole machine (everyone's work) {machinePerPhoto:0}.");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Peak RSS: capture-ingest {BenchmarkContext.PeakResidentMegabytes(context.ServicePid("capture-ingest")):0} MB, gateway {BenchmarkContext.PeakResidentMegabytes(context.ServicePid("gateway")):0} MB, benchmark process {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB.");
        return markdown.ToString();
    }

    private static (double Vips, double Same, double Engine, double EngineMs) InProcessRates(byte[] source)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, source);
        try
        {
            const int n = 16;
            using var standardizer = new PhotoStandardizer(new StandardizationOptions());
            var plan = LibvipsAlone.PlanOf(standardizer, path);
            LibvipsAlone.CentreCrop(path);
            var watch = Stopwatch.StartNew();
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ => LibvipsAlone.CentreCrop(path));
            var vips = n / watch.Elapsed.TotalSeconds;
            LibvipsAlone.SameCrop(path, plan);
            watch.Restart();
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ => LibvipsAlone.SameCrop(path, plan));
            var same = n / watch.Elapsed.TotalSeconds;

            standardizer.Standardize(path);
            watch.Restart();
            standardizer.Standardize(path);
            var single = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ => standardizer.Standardize(path));
            return (vips, same, n / watch.Elapsed.TotalSeconds, single);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<Row> SummariseAsync(Sample[] samples, ConcurrentDictionary<Guid, DateTimeOffset> verdicts, CancellationToken ct)
    {
        var ok = samples.Where(s => s.Ok).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (ok.Any(s => !verdicts.ContainsKey(s.Id)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        var latencies = ok.Where(s => verdicts.ContainsKey(s.Id)).Select(s => (verdicts[s.Id] - s.Scheduled).TotalMilliseconds).Order().ToList();
        var uploads = ok.Select(s => (s.Stored - s.Scheduled).TotalMilliseconds).Order().ToList();
        return new Row(samples.Length - ok.Count, latencies.Count, BenchmarkContext.Percentile(uploads, 50), BenchmarkContext.Percentile(latencies, 50),
            BenchmarkContext.Percentile(latencies, 95), latencies.Count == 0 ? double.NaN : latencies[^1]);
    }

    private static async Task FollowAsync(HttpClient http, Guid station, ConcurrentDictionary<Guid, DateTimeOffset> verdicts, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync($"/api/capture/stations/{station}/feed", HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var photo = JsonDocument.Parse(line[6..]).RootElement;
                if (photo.GetProperty("verdict").GetString() != "pending")
                {
                    verdicts.TryAdd(photo.GetProperty("id").GetGuid(), DateTimeOffset.UtcNow);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
        }
    }

    private static async Task<Guid> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private sealed record Sample(Guid Id, DateTimeOffset Scheduled, DateTimeOffset Stored, bool Ok);

    private sealed record Row(int Errors, int Verdicts, double UploadP50, double P50, double P95, double Max);
}
