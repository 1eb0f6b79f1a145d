using Capture.Contracts.CaptureIngest;
using Capture.ServiceDefaults.Messaging;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Capture.Verification.IntegrationEvents;

/// <summary>
/// A registration's photo is final: its verification task opens (or, for a retake, reopens with the new photo; the
/// old one stays in the history). An older or repeated acceptance changes nothing.
/// </summary>
public sealed partial class PhotoAcceptedConsumer(VerificationDbContext db, TimeProvider time, IOptions<VerificationOptions> options, ILogger<PhotoAcceptedConsumer> logger)
    : IdempotentConsumer<PhotoAccepted, VerificationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<PhotoAccepted> context)
    {
        var m = context.Message;
        var now = time.GetUtcNow();
        var task = await Db.Tasks.FindAsync([m.RegistrationId], context.CancellationToken);
        if (task is null)
        {
            task = VerificationTask.Create(m.RegistrationId, m.CampaignId, m.SchoolCode, now);
            Db.Tasks.Add(task);
        }

        var key = m.StandardizedObjectKey.Length > Limits.ObjectKey ? m.StandardizedObjectKey[..Limits.ObjectKey] : m.StandardizedObjectKey;
        var sha = m.StandardizedSha256.Length > 64 ? m.StandardizedSha256[..64] : m.StandardizedSha256;
        if (!task.AcceptPhoto(m.PhotoId, key, sha, m.AcceptedAt, options.Value.DefaultWindowDays, now))
        {
            return;
        }

        Db.History.Add(new TaskHistoryEntry
        {
            RegistrationId = task.RegistrationId, Round = task.Round, Kind = TaskHistoryEntry.PhotoAccepted, PhotoId = m.PhotoId,
            PhotoKey = key, PhotoSha256 = task.PhotoSha256, Actor = "capture-ingest:" + Cut(m.AcceptedBy), At = now,
        });
        LogOpened(logger, task.RegistrationId, task.Round, m.PhotoId);
    }

    private static string Cut(string value) => value.Length > 100 ? value[..100] : value;

    [LoggerMessage(LogLevel.Information, "Verification of registration {RegistrationId} opened (round {Round}) with photo {PhotoId}")]
    private static partial void LogOpened(ILogger logger, Guid registrationId, int round, Guid photoId);
}
