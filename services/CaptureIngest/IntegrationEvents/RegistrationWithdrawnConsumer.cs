using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.CaptureIngest;
using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.IntegrationEvents;

/// <summary>A withdrawn registration's photos that are not final yet are held (a person decides), and later ones never bind.</summary>
public sealed class RegistrationWithdrawnConsumer(CaptureIngestDbContext db, TimeProvider time, CaptureMetrics metrics, ILogger<RegistrationWithdrawnConsumer> logger)
    : IdempotentConsumer<RegistrationWithdrawn, CaptureIngestDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationWithdrawn> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        if (await Db.Withdrawals.FindAsync([m.RegistrationId], ct) is null)
        {
            Db.Withdrawals.Add(new WithdrawnRegistration { RegistrationId = m.RegistrationId, Reason = m.Reason.Length > 500 ? m.Reason[..500] : m.Reason, WithdrawnAt = m.WithdrawnAt });
        }

        var accepted = await Db.AcceptedPhotos.AnyAsync(a => a.RegistrationId == m.RegistrationId, ct);
        if (accepted)
        {
            return;
        }

        var now = time.GetUtcNow();
        var photos = await Db.Photos.Where(p => p.RegistrationId == m.RegistrationId && p.Status == PhotoStatus.Bound).ToListAsync(ct);
        foreach (var photo in photos)
        {
            var reason = $"Registration {m.RegistrationId} was withdrawn from the campaign after this photo was bound: a person must decide.";
            PhotoHolds.Hold(Db, metrics, photo, HoldKind.WithdrawnAfterBinding, reason, now);
        }
    }
}
