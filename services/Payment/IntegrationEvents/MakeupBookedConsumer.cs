using Capture.Contracts.Scheduling;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.IntegrationEvents;

/// <summary>A makeup booking keeps an absentee's fee: they will still be captured.</summary>
public sealed class MakeupBookedConsumer(PaymentDbContext db, ILogger<MakeupBookedConsumer> logger)
    : IdempotentConsumer<MakeupBooked, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<MakeupBooked> context)
    {
        var m = context.Message;
        var row = await Attendances.GetOrAddAsync(Db, m.RegistrationId, m.CampaignId, context.CancellationToken);
        row.MakeupBookedAt ??= m.BookedAt;
    }
}
