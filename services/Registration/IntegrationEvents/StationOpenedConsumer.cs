using Capture.Contracts.Scheduling;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.IntegrationEvents;

/// <summary>
/// Scheduling opened a station: its venue belongs to the station's school, so that venue's operators may verify that
/// school's capture codes and no other's. A venue has one school for life; the second station of a venue (or a
/// redelivery) changes nothing.
/// </summary>
public sealed class StationOpenedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<StationOpenedConsumer> logger)
    : IdempotentConsumer<StationOpened, RegistrationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<StationOpened> context)
    {
        var m = context.Message;
        if (m.VenueId == Guid.Empty || string.IsNullOrWhiteSpace(m.SchoolCode))
        {
            throw new InvalidOperationException($"StationOpened {m.StationId} names no venue or school; Registration cannot scope its operators.");
        }

        // Two stations of one venue may arrive at the same moment on two instances: the key decides, no retry needed.
        await Db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO registration.venues (venue_id, school_code, learned_at) VALUES ({m.VenueId}, {m.SchoolCode.Trim()}, {clock.GetUtcNow()}) ON CONFLICT (venue_id) DO NOTHING",
            context.CancellationToken);
    }
}
