using System.Text.Json;
using Capture.AppHost.Hosting;
using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.CaptureIngest;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Tests;

/// <summary>The API alone in-process (no standardisation worker); workers are real processes the test starts and kills.</summary>
public sealed class ApiOnlyApp() : CaptureIngestApp(new Dictionary<string, string?> { ["CaptureIngest:Role"] = "api" });

/// <summary>
/// A standardisation worker killed (SIGKILL) in the middle of a photo loses nothing: the message was not acknowledged,
/// RabbitMQ gives it to the next worker, and the photo is standardised and recorded exactly once.
/// </summary>
public sealed class WorkerCrashTests(ApiOnlyApp app) : IClassFixture<ApiOnlyApp>
{
    [Fact]
    public async Task A_worker_killed_mid_photo_leaves_the_photo_to_the_next_worker_which_judges_it_once()
    {
        var station = await app.OpenStationAsync();
        await app.CheckInAsync(station, "B1-0001");
        using var op = app.Operator(station);
        var log = new MemoryLogSink();

        await using var first = StartWorker(log);
        await WaitUntilConsumingAsync(first);
        var photo = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Unique(TestPhotos.Bytes(TestPhotos.Good)));

        // The worker spools the raw photo to a temporary file named after it before it standardises: that is "mid-photo".
        await Eventually.TrueAsync(
            () => Directory.Exists(UploadReceiver.Folder) && Directory.EnumerateFiles(UploadReceiver.Folder, $"w-{photo.Id:N}-*").Any(),
            TimeSpan.FromSeconds(30), "the first worker to start on the photo");
        await first.StopAsync(ManagedProcess.SigKill, TimeSpan.Zero);
        Assert.Equal(Verdict.Pending, await app.InDbAsync(db => db.Photos.Where(p => p.Id == photo.Id).Select(p => p.Verdict).SingleAsync()));

        await using var second = StartWorker(log);
        var judged = await Eventually.GetAsync(
            () => app.InDbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == photo.Id)),
            p => p.Verdict != Verdict.Pending,
            TimeSpan.FromSeconds(90),
            "the second worker's verdict");
        Assert.Equal(Verdict.Passed, judged.Verdict);
        var outbox = await app.InDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(PhotoStandardized).FullName).ToListAsync());
        Assert.Single(outbox, m => JsonDocument.Parse(m.Body).RootElement.GetProperty("photoId").GetGuid() == photo.Id);
    }

    private ManagedProcess StartWorker(ILogSink log)
    {
        var e = app.Service.Endpoints;
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Network.FreePort()}",
            ["ConnectionStrings__capturedb"] = e.Database(app.Service.DatabaseName),
            ["ConnectionStrings__messaging"] = e.MessagingIn(app.Service.VirtualHost),
            ["ConnectionStrings__photos"] = e.Photos,
            ["Auth__SigningKey"] = TestTokens.SigningKey,
            ["CaptureIngest__Role"] = "worker",
            ["CaptureIngest__Workers"] = "1",
            ["DOTNET_gcServer"] = "0",
        };
        var definition = ServiceDefinition.CaptureIngest;
        return ManagedProcess.Start("capture-ingest-worker", "dotnet", [definition.AssemblyPath(Paths.RepoRoot)], log,
            Path.Combine(Paths.RepoRoot, definition.ProjectDirectory), environment);
    }

    private static async Task WaitUntilConsumingAsync(ManagedProcess worker)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            () => !worker.HasExited && worker.Tail.Contains("Application started", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the worker process to start: " + worker.Tail);
    }
}
