using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.Scheduling;
using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.CaptureIngest.IntegrationEvents;

/// <summary>Learns a new station's venue and school, so its operators may upload and the photos have an owner.</summary>
public sealed class StationOpenedConsumer(CaptureIngestDbContext db, ILogger<StationOpenedConsumer> logger)
    : IdempotentConsumer<StationOpened, CaptureIngestDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<StationOpened> context)
    {
        var m = context.Message;
        await StationCopies.UpsertAsync(Db, m.StationId, m.VenueId, m.SchoolCode, m.Code, context.CancellationToken);
    }
}

public static class StationCopies
{
    public static async Task UpsertAsync(CaptureIngestDbContext db, Guid stationId, Guid venueId, string schoolCode, string? code, CancellationToken ct)
    {
        if (venueId == Guid.Empty || string.IsNullOrEmpty(schoolCode))
        {
            return;
        }

        var station = await db.Stations.FindAsync([stationId], ct);
        if (station is null)
        {
            db.Stations.Add(new KnownStation { StationId = stationId, VenueId = venueId, SchoolCode = schoolCode, Code = code ?? "" });
        }
        else if (code is not null)
        {
            station.Code = code;
        }
    }
}
