using Capture.Contracts.CaptureIngest;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.IntegrationEvents;

/// <summary>A photographed student is never refunded automatically, whatever else was recorded.</summary>
public sealed class PhotoAcceptedConsumer(PaymentDbContext db, ILogger<PhotoAcceptedConsumer> logger)
    : IdempotentConsumer<PhotoAccepted, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<PhotoAccepted> context)
    {
        var m = context.Message;
        var row = await Attendances.GetOrAddAsync(Db, m.RegistrationId, m.CampaignId, context.CancellationToken);
        row.PhotographedAt ??= m.AcceptedAt;
    }
}
