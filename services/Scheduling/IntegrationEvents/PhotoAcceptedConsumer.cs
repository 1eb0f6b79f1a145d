using Capture.Contracts.CaptureIngest;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>A student's photo is final: their check-in is marked photographed (the queue moves on; a re-scan says already captured).</summary>
public sealed class PhotoAcceptedConsumer(SchedulingDbContext db, ILogger<PhotoAcceptedConsumer> logger)
    : IdempotentConsumer<PhotoAccepted, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<PhotoAccepted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var mine = Db.CheckIns.Where(c => c.RegistrationId == m.RegistrationId);
        var checkIn = Guid.TryParse(m.StationId, out var stationId)
            ? await mine.FirstOrDefaultAsync(c => c.StationId == stationId && c.ShootNumber == m.ShootNumber, ct)
            : null;
        checkIn ??= await mine.OrderByDescending(c => c.CheckedInAt).FirstOrDefaultAsync(ct);
        if (checkIn is null || checkIn.Status == CheckInStatus.Photographed)
        {
            return;
        }

        checkIn.Status = CheckInStatus.Photographed;
        checkIn.StatusChangedAt = m.AcceptedAt;
    }
}
