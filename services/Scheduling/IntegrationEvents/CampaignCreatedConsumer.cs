using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>Records which school a campaign belongs to (the owner never changes).</summary>
public sealed class CampaignCreatedConsumer(SchedulingDbContext db, ILogger<CampaignCreatedConsumer> logger)
    : IdempotentConsumer<CampaignCreated, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<CampaignCreated> context)
    {
        var m = context.Message;
        if (await Db.Campaigns.FindAsync([m.CampaignId], context.CancellationToken) is null)
        {
            Db.Campaigns.Add(new CampaignOwner { CampaignId = m.CampaignId, SchoolCode = m.SchoolCode, Cohort = m.Cohort.Length > 64 ? m.Cohort[..64] : m.Cohort });
        }
    }
}
