using Capture.ServiceDefaults.Validation;

namespace Capture.Scheduling.Apis;

/// <summary>
/// What a station scans: a capture code (采集码, verified with Registration), or a student number read from the
/// student card's barcode (003 §5.1; checked against Scheduling's own copy). SessionId is optional: by default the
/// open session at the station's venue around now. OverrideReason admits a student of another session (audited).
/// </summary>
public sealed record CheckInRequest([PlainText(64)] string? CaptureCode, [PlainText(64)] string? StudentNumber, Guid? SessionId, [PlainText(500, Multiline = true)] string? OverrideReason);

/// <summary>What the operator must see: the shoot number (拍摄号) to write on the sheet, who the student is, and warnings.</summary>
public sealed record CheckInResponse(
    Guid CheckInId,
    string ShootNumber,
    bool Repeated,
    Guid RegistrationId,
    string StudentName,
    string StudentNumber,
    string CollegeName,
    string? ClassName,
    string MaskedIdNumber,
    string DegreeLevel,
    Guid SessionId,
    Guid StationId,
    string StationCode,
    DateTimeOffset CheckedInAt,
    bool Late,
    bool Overridden,
    string Status,
    IReadOnlyList<string> Warnings);

/// <summary>Where a refused student belongs.</summary>
public sealed record BelongsTo(Guid SessionId, DateOnly Date, string LocalStart, string LocalEnd, string Venue);
