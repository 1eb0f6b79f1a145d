using System.Security.Cryptography;
using System.Text.Json;
using Capture.CaptureIngest.Apis;
using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Domain.Standardization;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.CaptureIngest;
using Capture.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.CaptureIngest.IntegrationEvents;

/// <summary>
/// A standardisation worker (competing consumers across instances): raw photo → CHSI 480×640 image + quality verdict.
/// The heavy work runs outside any transaction; the result is recorded only if the photo is still waiting for one, so a
/// redelivered message (a worker killed mid-photo, a retry) standardises the photo once and records it once. The
/// standardised object's key is fixed by the photo id, so a second put writes the same object.
/// </summary>
public sealed partial class PhotoUploadedConsumer(
    CaptureIngestDbContext db,
    IObjectStorage storage,
    RawPhotoHandoff handoff,
    PhotoStandardizer standardizer,
    KeyframeReader keyframes,
    CaptureMetrics metrics,
    IOptions<CaptureOptions> options,
    TimeProvider time,
    ILogger<PhotoUploadedConsumer> logger) : IConsumer<PhotoUploaded>
{
    public async Task Consume(ConsumeContext<PhotoUploaded> context)
    {
        var ct = context.CancellationToken;
        var m = context.Message;
        var photo = await db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == m.PhotoId, ct)
            ?? throw new InvalidOperationException($"Photo {m.PhotoId} is not recorded although its PhotoUploaded event was published.");
        if (photo.Verdict != Verdict.Pending)
        {
            LogAlreadyJudged(logger, photo.Id, photo.Verdict.ToString());
            return;
        }

        var temp = Path.Combine(UploadReceiver.Folder, $"w-{photo.Id:N}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(UploadReceiver.Folder);
        try
        {
            // The upload's own file when this process received it (see RawPhotoHandoff), else the stored object.
            if (!handoff.TryTake(photo.Id, photo.SizeBytes, temp))
            {
                await using var source = await storage.OpenReadAsync(PhotosApi.RawBucket, photo.RawObjectKey, ct);
                await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
                await source.CopyToAsync(file, 64 * 1024, ct);
            }

            if (photo.IsKeyframe)
            {
                var (registrationId, outcome) = keyframes.Read(temp);
                await RecordAsync(photo.Id, p => p.KeyframeRead(registrationId, outcome, time.GetUtcNow()), rebind: true, ct);
                return;
            }

            var result = standardizer.Standardize(temp, options.Value.BackgroundColourFor(photo.CampaignId, photo.SchoolCode), ct);
            var now = time.GetUtcNow();
            var report = JsonSerializer.Serialize(result.Report, JsonSerializerOptions.Web);
            var failed = result.Report.Measures.Where(x => !x.Passed).Select(x => x.Name).ToList();
            if (result.Outcome == StandardizationOutcome.Standardized && result.Jpeg is { } jpeg)
            {
                var key = $"{photo.SchoolCode}/{photo.Day:yyyy-MM-dd}/{photo.StationId:N}/{photo.Id:N}.jpg";
                using (var body = new MemoryStream(jpeg, writable: false))
                {
                    await storage.PutAsync(PhotosApi.StandardizedBucket, key, body, jpeg.Length, "image/jpeg", ct);
                }

                var sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
                var recorded = await RecordAsync(photo.Id, p =>
                {
                    p.Standardized(result.Report.Passed, key, sha, jpeg.Length, report, failed, now);
                    db.AddIntegrationEvent(new PhotoStandardized(p.Id, p.RegistrationId, p.SchoolCode, p.StationId.ToString(), p.ShootNumber, result.Report.Passed, failed, key, now));
                }, rebind: false, ct);
                if (recorded)
                {
                    metrics.Verdict(result.Report.Passed ? "passed" : "failed", failed, photo.StationId.ToString(), now - photo.UploadedAt);
                    LogJudged(logger, photo.Id, photo.ShootNumber, result.Report.Passed, string.Join(',', failed));
                }
            }
            else
            {
                var reason = result.RejectReason ?? "No standardised image could be made from this frame: retake.";
                var recorded = await RecordAsync(photo.Id, p =>
                {
                    p.Rejected(reason, report, now);
                    db.AddIntegrationEvent(new PhotoRejected(p.Id, p.RegistrationId, p.SchoolCode, p.StationId.ToString(), p.ShootNumber, reason, now));
                }, rebind: false, ct);
                if (recorded)
                {
                    metrics.Verdict("rejected", ["rejected"], photo.StationId.ToString(), now - photo.UploadedAt);
                    LogRejected(logger, photo.Id, photo.ShootNumber, reason);
                }
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Applies the verdict if the photo still waits for one; false when another worker recorded it first.</summary>
    private async Task<bool> RecordAsync(Guid photoId, Action<Photo> apply, bool rebind, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Row lock first: a second worker with the same photo waits here, then sees the first one's verdict.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM capture_ingest.photos WHERE id = {photoId} FOR UPDATE", ct);
        var photo = await db.Photos.FirstAsync(p => p.Id == photoId, ct);
        if (photo.Verdict != Verdict.Pending)
        {
            return false;
        }

        apply(photo);
        await db.SaveChangesAsync(ct);
        if (rebind)
        {
            await PhotoBinder.LockAsync(db, photo.StationId, photo.Day, photo.ShootNumber, ct);
            await PhotoBinder.ApplyAsync(db, photo.StationId, photo.Day, photo.ShootNumber, time.GetUtcNow(), recheckBound: true, metrics, ct);
            await db.SaveChangesAsync(ct);
        }

        await VerdictNotifier.NotifyAsync(db, photo.StationId, photo.Id, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    [LoggerMessage(LogLevel.Information, "Photo {PhotoId} already has verdict {Verdict}: redelivery skipped")]
    private static partial void LogAlreadyJudged(ILogger logger, Guid photoId, string verdict);

    [LoggerMessage(LogLevel.Information, "Photo {PhotoId} ({ShootNumber}) standardised: passed={Passed} failed=[{Failed}]")]
    private static partial void LogJudged(ILogger logger, Guid photoId, string shootNumber, bool passed, string failed);

    [LoggerMessage(LogLevel.Information, "Photo {PhotoId} ({ShootNumber}) rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid photoId, string shootNumber, string reason);
}

/// <summary>Standardisation is CPU-bound: as many at once as the options allow, a low prefetch, and its own retry before the error queue.</summary>
public sealed class PhotoUploadedConsumerDefinition : ConsumerDefinition<PhotoUploadedConsumer>
{
    public PhotoUploadedConsumerDefinition(IOptions<CaptureOptions> options)
    {
        ConcurrentMessageLimit = options.Value.Workers;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<PhotoUploadedConsumer> consumer, IRegistrationContext context)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = (ConcurrentMessageLimit ?? 1) * 2;
        }

        consumer.UseMessageRetry(r => r.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
    }
}
