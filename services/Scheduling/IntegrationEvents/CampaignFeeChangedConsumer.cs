using Capture.Contracts.Registration;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>
/// A campaign's fee changed: check-in applies the new fee to every registration approved before the change (a fee
/// raised from 0 stops admitting unpaid students). The campaign keeps the fee, so an approval published before the
/// change but arriving after it does not bring the old fee back.
/// </summary>
public sealed partial class CampaignFeeChangedConsumer(SchedulingDbContext db, ILogger<CampaignFeeChangedConsumer> logger)
    : IdempotentConsumer<CampaignFeeChanged, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<CampaignFeeChanged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var campaign = await Db.Campaigns.FindAsync([m.CampaignId], ct);
        if (campaign is null)
        {
            // CampaignCreated has not arrived yet: retry until it has (the owner is never guessed).
            throw new InvalidOperationException($"CampaignFeeChanged for campaign {m.CampaignId}, which Scheduling does not know yet.");
        }

        if (campaign.SchoolCode != m.SchoolCode || campaign.FeeChangedAt is { } known && known >= m.ChangedAt)
        {
            return;
        }

        campaign.FeeFen = m.FeeFen;
        campaign.FeeChangedAt = m.ChangedAt;
        var changed = await Db.Registrations
            .Where(r => r.CampaignId == m.CampaignId && r.ApprovedAt != null && r.ApprovedAt < m.ChangedAt && r.FeeFen != m.FeeFen)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.FeeFen, m.FeeFen), ct);
        LogFeeChanged(logger, m.CampaignId, m.FeeFen, changed);
    }

    [LoggerMessage(LogLevel.Information, "Campaign {CampaignId} fee is now {FeeFen} fen: {Changed} registrations updated")]
    private static partial void LogFeeChanged(ILogger logger, Guid campaignId, long feeFen, int changed);
}
