using Capture.Contracts.Scheduling;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.IntegrationEvents;

/// <summary>Records the absentees of a closed session: refunded on the campaign's refund date unless they book a makeup or are photographed.</summary>
public sealed class SessionClosedConsumer(PaymentDbContext db, ILogger<SessionClosedConsumer> logger)
    : IdempotentConsumer<SessionClosed, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<SessionClosed> context)
    {
        var m = context.Message;
        foreach (var registrationId in m.AbsentRegistrationIds.Distinct())
        {
            var row = await Attendances.GetOrAddAsync(Db, registrationId, m.CampaignId, context.CancellationToken);
            row.AbsentAt ??= m.ClosedAt;
        }
    }
}
