using Capture.Contracts.CaptureIngest;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.IntegrationEvents;

/// <summary>
/// A student's photo is final: the capture is recorded for their ID number and degree level, so no later campaign
/// (of any cohort) captures them again for that degree (002 §6.4, 004 §1). A retake changes nothing here.
/// </summary>
public sealed class PhotoAcceptedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<PhotoAcceptedConsumer> logger)
    : IdempotentConsumer<PhotoAccepted, RegistrationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<PhotoAccepted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var registration = await Db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == m.RegistrationId, ct)
            ?? throw new InvalidOperationException($"PhotoAccepted names registration {m.RegistrationId}, which Registration does not have.");
        if (!string.Equals(registration.SchoolCode, m.SchoolCode, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"PhotoAccepted for registration {m.RegistrationId} says school {m.SchoolCode}; the registration belongs to another school.");
        }

        var known = await Db.PriorCaptures.AnyAsync(p => p.SchoolCode == registration.SchoolCode && p.IdNumber == registration.IdNumber && p.DegreeLevel == registration.DegreeLevel, ct);
        if (!known)
        {
            Db.PriorCaptures.Add(PriorCapture.Record(registration.IdNumber, registration.DegreeLevel, registration.SchoolCode, "captured",
                $"photographed in campaign {m.CampaignId} ({ShanghaiTime.Display(m.AcceptedAt)})", clock.GetUtcNow()));
        }
    }
}
