namespace Capture.Scheduling.Domain;

/// <summary>
/// A time window at a venue on a capture day. Regular sessions take colleges by allocation; makeup (补拍) sessions
/// take bookings up to <see cref="Capacity"/>, counted in <see cref="Booked"/> (changed only by conditional SQL updates).
/// </summary>
public sealed class Session
{
    public Guid Id { get; set; }

    public Guid CampaignId { get; set; }

    public required string SchoolCode { get; set; }

    public Guid CaptureDayId { get; set; }

    public Guid VenueId { get; set; }

    public SessionKind Kind { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>Makeup sessions: places. Regular sessions: an optional cap below the stations' throughput.</summary>
    public int? Capacity { get; set; }

    public int Booked { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public uint Version { get; set; }
}
