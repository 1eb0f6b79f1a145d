using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.Scheduling;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.IntegrationEvents;

/// <summary>
/// Keeps the check-in (station, day, shoot number → registration) and binds the photos that arrived before it. A
/// second, different registration for a key that is taken is never bound: every photo of that key is held.
/// </summary>
public sealed partial class StudentCheckedInConsumer(CaptureIngestDbContext db, TimeProvider time, CaptureMetrics metrics, ILogger<StudentCheckedInConsumer> logger)
    : IdempotentConsumer<StudentCheckedIn, CaptureIngestDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<StudentCheckedIn> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (!Guid.TryParse(m.StationId, out var stationId) || !BindingRules.IsShootNumber(m.ShootNumber))
        {
            throw new InvalidOperationException($"StudentCheckedIn {context.MessageId} has station '{m.StationId}' and shoot number '{m.ShootNumber}': not a binding key.");
        }

        var day = ShanghaiTime.Today(m.CheckedInAt);
        var now = time.GetUtcNow();
        await StationCopies.UpsertAsync(Db, stationId, m.VenueId, m.SchoolCode, code: null, ct);
        await PhotoBinder.LockAsync(Db, stationId, day, m.ShootNumber, ct);
        var existing = await Db.CheckIns.FirstOrDefaultAsync(c => c.StationId == stationId && c.Day == day && c.ShootNumber == m.ShootNumber, ct);
        if (existing is null)
        {
            Db.CheckIns.Add(new ShootCheckIn
            {
                StationId = stationId,
                Day = day,
                ShootNumber = m.ShootNumber,
                RegistrationId = m.RegistrationId,
                CampaignId = m.CampaignId,
                SessionId = m.SessionId,
                VenueId = m.VenueId,
                SchoolCode = m.SchoolCode,
                CheckedInAt = m.CheckedInAt,
            });
            await Db.SaveChangesAsync(ct);
            await PhotoBinder.ApplyAsync(Db, stationId, day, m.ShootNumber, now, recheckBound: false, metrics, ct);
        }
        else if (existing.RegistrationId != m.RegistrationId)
        {
            LogConflict(logger, m.ShootNumber, m.StationId, existing.RegistrationId, m.RegistrationId);
            var photos = await Db.Photos.Where(p => p.StationId == stationId && p.Day == day && p.ShootNumber == m.ShootNumber && p.Status != PhotoStatus.Discarded).ToListAsync(ct);
            foreach (var photo in photos)
            {
                PhotoHolds.Hold(
                    Db, metrics, photo, HoldKind.ShootNumberIssuedTwice,
                    $"Shoot number {m.ShootNumber} was issued twice (registrations {existing.RegistrationId} and {m.RegistrationId}): a person must check who is in the photo.", now);
            }
        }
    }

    [LoggerMessage(LogLevel.Critical, "Shoot number {ShootNumber} at station {Station} was issued to registration {First} and again to {Second}: its photos are held")]
    private static partial void LogConflict(ILogger logger, string shootNumber, string station, Guid first, Guid second);
}
