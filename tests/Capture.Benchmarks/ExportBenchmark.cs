using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Capture.Contracts.CaptureIngest;
using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Storage;
using Capture.Testing;
using MassTransit;

namespace Capture.Benchmarks;

/// <summary>
/// A CHSI export of 10,000 confirmed students: standardised-photo-shaped JPEGs (480×640 header, 30 KB, each different)
/// are put in <c>photos-standardized</c>, announced (RegistrationApproved, PhotoAccepted) and confirmed by each student
/// through the gateway; then one export batch is timed from the request to ready, with the verification service's peak
/// resident memory, next to <c>zip -0</c> writing the same files from local disk on the same machine.
/// </summary>
public sealed class ExportBenchmark : IBenchmark
{
    private static readonly int Count = int.Parse(Environment.GetEnvironmentVariable("BENCHMARK_EXPORT_PHOTOS") ?? "10000", CultureInfo.InvariantCulture);
    private const int PhotoBytes = 30 * 1024;

    public string Name => "export";

    public string Description => $"one CHSI export batch of {Count} standardised photos to one zip, vs zip -0 of the same files";

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var school = "10386";
        var campaign = Guid.NewGuid();
        var students = Enumerable.Range(0, Count).Select(i => (Id: Guid.NewGuid(), Number: $"2026{i:D6}", IdNumber: $"1101051999{i:D8}")).ToList();
        var local = Directory.CreateTempSubdirectory("capture-export-bench-");
        var settings = ObjectStorageSettings.Parse(context.System.Endpoints.Photos);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var storage = new MinioObjectStorage(ObjectStorageExtensions.CreateClient(settings), http);
        await storage.EnsureBucketAsync("photos-standardized", cancellationToken);

        Console.WriteLine($"storing {Count} photos and announcing them...");
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(context.System.Endpoints.Messaging)));
        await bus.StartAsync(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(students, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (s, ct) =>
            {
                var jpeg = Photo(s.Number);
                await File.WriteAllBytesAsync(Path.Combine(local.FullName, s.IdNumber + ".jpg"), jpeg, ct);
                var key = $"{school}/{s.Id}.jpg";
                using (var content = new MemoryStream(jpeg))
                {
                    await storage.PutAsync("photos-standardized", key, content, jpeg.Length, "image/jpeg", ct);
                }

                await bus.Publish(new RegistrationApproved(s.Id, campaign, school, "law", "法学院", null, s.Number, "学生" + s.Number, PersonalData.MaskIdNumber(s.IdNumber),
                    "硕士", "全日制", null, 0, DateTimeOffset.UtcNow, "居民身份证", s.IdNumber, 40), ct);
                await bus.Publish(new PhotoAccepted(Guid.NewGuid(), s.Id, campaign, school, "bench", "B1-" + s.Number, key,
                    Convert.ToHexStringLower(SHA256.HashData(jpeg)), true, [], "bench", DateTimeOffset.UtcNow), ct);
            });
        }
        finally
        {
            await bus.StopAsync(cancellationToken);
        }

        using var admin = context.Client(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        await WaitAsync(admin, campaign, c => c.GetProperty("open").GetInt32() + c.GetProperty("confirmed").GetInt32() == Count, "tasks open", cancellationToken);

        Console.WriteLine($"{Count} students confirm through the gateway...");
        await Parallel.ForEachAsync(students, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (s, ct) =>
        {
            using var student = context.Client(TestTokens.For(CaptureRoles.Student, s.Number, school: school));
            using var response = await student.PostAsync($"/api/verification/me/tasks/{s.Id}/confirm", null, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"confirm {s.Number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
        await WaitAsync(admin, campaign, c => c.GetProperty("confirmed").GetInt32() == Count, "all confirmed", cancellationToken);

        var pid = context.ServicePid("verification");
        var peakBefore = BenchmarkContext.PeakResidentMegabytes(pid);
        Console.WriteLine("exporting...");
        var clock = Stopwatch.StartNew();
        using var started = await admin.PostAsJsonAsync($"/api/verification/campaigns/{campaign}/exports", new { }, cancellationToken);
        started.EnsureSuccessStatusCode();
        var batchId = (await started.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("batchId").GetGuid();
        JsonElement batch;
        while (true)
        {
            batch = await admin.GetFromJsonAsync<JsonElement>($"/api/verification/exports/{batchId}", cancellationToken);
            if (batch.GetProperty("state").GetString() is "ready" or "failed")
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        var exportSeconds = clock.Elapsed.TotalSeconds;
        var peakAfter = BenchmarkContext.PeakResidentMegabytes(pid);
        var size = batch.GetProperty("sizeBytes").GetInt64();

        var zipPath = Path.Combine(Path.GetTempPath(), $"capture-export-bench-{batchId:N}.zip");
        clock.Restart();
        using (var zip = Process.Start(new ProcessStartInfo("zip", ["-0", "-q", "-r", "-X", zipPath, "."]) { WorkingDirectory = local.FullName })!)
        {
            await zip.WaitForExitAsync(cancellationToken);
        }

        var zipSeconds = clock.Elapsed.TotalSeconds;
        var zipSize = new FileInfo(zipPath).Length;
        File.Delete(zipPath);
        local.Delete(recursive: true);

        var md = new StringBuilder();
        md.AppendLine($"Machine: {BenchmarkContext.Machine()}; {Count} photos of {PhotoBytes / 1024} KB.");
        md.AppendLine();
        md.AppendLine("| measure | value |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine($"| batch state, photos, problems | {batch.GetProperty("state").GetString()}, {batch.GetProperty("photoCount").GetInt32()}, {batch.GetProperty("problemCount").GetInt32()} |");
        md.AppendLine($"| export: request to ready (s) | {exportSeconds:0.0} |");
        md.AppendLine($"| export throughput (MB/s of zip, photos/s) | {size / 1e6 / exportSeconds:0.0}, {Count / exportSeconds:0} |");
        md.AppendLine($"| zip size (MB) | {size / 1e6:0.0} |");
        md.AppendLine($"| verification peak RSS before / after the export (MB, VmHWM) | {peakBefore:0} / {peakAfter:0} |");
        md.AppendLine($"| `zip -0` of the same files from local disk (s, MB/s) | {zipSeconds:0.0}, {zipSize / 1e6 / zipSeconds:0.0} |");
        return md.ToString();
    }

    /// <summary>A JPEG-shaped standardised photo: SOI, a comment making it unique, a 480×640 frame header, filler, EOI.</summary>
    private static byte[] Photo(string unique)
    {
        var jpeg = new byte[PhotoBytes];
        var comment = Encoding.ASCII.GetBytes(unique.PadRight(16));
        byte[] head = [0xFF, 0xD8, 0xFF, 0xFE, 0, (byte)(comment.Length + 2), .. comment, 0xFF, 0xC0, 0, 17, 8, 0x02, 0x80, 0x01, 0xE0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        head.CopyTo(jpeg, 0);
        for (var i = head.Length; i < jpeg.Length - 2; i++)
        {
            jpeg[i] = (byte)(i % 251 == 0 ? 0x00 : 0x5A);
        }

        jpeg[^2] = 0xFF;
        jpeg[^1] = 0xD9;
        return jpeg;
    }

    private static async Task WaitAsync(HttpClient admin, Guid campaign, Func<JsonElement, bool> done, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            var counts = await admin.GetFromJsonAsync<JsonElement>($"/api/verification/campaigns/{campaign}/counts", ct);
            var law = counts.EnumerateArray().FirstOrDefault();
            if (law.ValueKind == JsonValueKind.Object && done(law))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waiting for {what}: {counts}");
            }

            await Task.Delay(500, ct);
        }
    }
}
