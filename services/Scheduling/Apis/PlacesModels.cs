using System.ComponentModel.DataAnnotations;
using Capture.Scheduling.Domain;
using Capture.ServiceDefaults.Validation;

namespace Capture.Scheduling.Apis;

public sealed record CreateCampusRequest([PlainText(32)] string? Code, [PlainText(128)] string? Name);

public sealed record CampusResponse(Guid Id, string SchoolCode, string Code, string Name);

public sealed record CreateVenueRequest(Guid? CampusId, [PlainText(32)] string? Code, [PlainText(128)] string? Name, [PlainText(128)] string? Building, [PlainText(64)] string? Room);

public sealed record VenueResponse(Guid Id, string SchoolCode, Guid CampusId, string Code, string Name, string Building, string Room);

public sealed record CreateStationRequest([PlainText(16)] string? Code, [PlainText(128)] string? Name, int ThroughputPerHour);

public sealed record StationResponse(Guid Id, Guid VenueId, string Code, string Name, int ThroughputPerHour);

public sealed record CreateCaptureDayRequest(Guid? CampaignId, Guid? CampusId, DateOnly? Date);

public sealed record CaptureDayResponse(Guid Id, Guid CampaignId, Guid CampusId, DateOnly Date);

/// <summary>Start and end are Asia/Shanghai wall-clock times on the capture day. Kind is "regular" (default) or "makeup".</summary>
public sealed record CreateSessionRequest(
    Guid? CaptureDayId,
    Guid? VenueId,
    TimeOnly? Start,
    TimeOnly? End,
    [PlainText(16)] string? Kind,
    [Range(0, SessionLimits.MaxCapacity, ErrorMessage = SessionLimits.CapacityMessage)] int? Capacity);

public sealed record SessionResponse(
    Guid Id,
    Guid CampaignId,
    Guid CaptureDayId,
    Guid VenueId,
    string Kind,
    DateOnly Date,
    string LocalStart,
    string LocalEnd,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int Capacity,
    int Booked,
    DateTimeOffset? ClosedAt);
