namespace Capture.Registration.Domain;

/// <summary>
/// A capture venue and the school it belongs to, learned from Scheduling's <c>StationOpened</c>: a station operator's
/// token names their venue, and this says whose capture codes they may verify.
/// </summary>
public sealed class KnownVenue
{
    public Guid VenueId { get; private set; }

    public string SchoolCode { get; private set; } = "";

    public DateTimeOffset LearnedAt { get; private set; }
}
