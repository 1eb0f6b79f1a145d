namespace Capture.Contracts.Scheduling;

/// <summary>A campaign's session plan was published, or a published plan changed (Version grows): the university notifies students.</summary>
public sealed record SessionPlanPublished(
    Guid CampaignId,
    string SchoolCode,
    int Version,
    DateTimeOffset PublishedAt);

/// <summary>
/// A student checked in at a station and got a shoot number (拍摄号), the key a photo is bound by. Carries the
/// station's venue and the owning school, so a service that keeps the binding can check who may see it.
/// </summary>
public sealed record StudentCheckedIn(
    Guid RegistrationId,
    Guid CampaignId,
    Guid SessionId,
    string StationId,
    string ShootNumber,
    DateTimeOffset CheckedInAt,
    Guid VenueId = default,
    string SchoolCode = "");

/// <summary>A station (camera position) was added to a venue: services that accept work from stations learn its venue and school.</summary>
public sealed record StationOpened(
    Guid StationId,
    Guid VenueId,
    string SchoolCode,
    string Code,
    string Name,
    DateTimeOffset OpenedAt);

/// <summary>A session closed; its absentees may book a makeup capture.</summary>
public sealed record SessionClosed(
    Guid SessionId,
    Guid CampaignId,
    IReadOnlyList<Guid> AbsentRegistrationIds,
    DateTimeOffset ClosedAt);

/// <summary>A student booked a place in a makeup (补拍) session.</summary>
public sealed record MakeupBooked(
    Guid BookingId,
    Guid RegistrationId,
    Guid CampaignId,
    Guid MakeupSessionId,
    DateTimeOffset BookedAt);
