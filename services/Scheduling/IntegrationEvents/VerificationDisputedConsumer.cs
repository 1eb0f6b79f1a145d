using Capture.Contracts.Verification;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>A student disputed their photo at verification: they may book a makeup capture (补拍) for a retake.</summary>
public sealed class VerificationDisputedConsumer(SchedulingDbContext db, TimeProvider time, ILogger<VerificationDisputedConsumer> logger)
    : IdempotentConsumer<VerificationDisputed, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<VerificationDisputed> context)
    {
        var m = context.Message;
        if (m.Kind != VerificationDisputeKinds.Photo)
        {
            return;
        }

        await Db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO scheduling.makeup_eligibilities (registration_id, campaign_id, reason, session_id, granted_at) VALUES ({m.RegistrationId}, {m.CampaignId}, {MakeupEligibility.Recapture}, NULL, {time.GetUtcNow()}) ON CONFLICT DO NOTHING",
            context.CancellationToken);
    }
}
