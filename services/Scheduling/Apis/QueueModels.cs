using Capture.ServiceDefaults.Validation;

namespace Capture.Scheduling.Apis;

public sealed record QueueEntry(Guid CheckInId, string ShootNumber, string StudentName, string StudentNumber, string CollegeName, string? ClassName, string Status, bool Late, DateTimeOffset CheckedInAt);

/// <summary>A station's live queue for a session: waiting students in calling order (on-time by shoot number, then late ones), and counts by status.</summary>
public sealed record StationQueue(Guid StationId, string StationCode, Guid SessionId, int CheckedIn, int Called, int Photographed, int Absent, IReadOnlyList<QueueEntry> Entries);

public sealed record ChangeCheckInStatusRequest([PlainText(16)] string? Status);

public sealed record SessionClosedResponse(Guid SessionId, DateTimeOffset ClosedAt, IReadOnlyList<Guid> AbsentRegistrationIds);

public sealed record VenueQueueSummary(Guid VenueId, Guid? SessionId, IReadOnlyList<StationSummary> Stations);

public sealed record StationSummary(Guid StationId, string StationCode, int Waiting, int Photographed, int Absent, string? LastShootNumber);
