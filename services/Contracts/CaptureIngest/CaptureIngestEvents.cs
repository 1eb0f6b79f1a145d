namespace Capture.Contracts.CaptureIngest;

/// <summary>
/// A raw photo from a station is stored (bucket <c>photos-raw</c>, <see cref="ObjectKey"/>) and recorded. Consumed
/// by CaptureIngest's own standardisation workers (competing consumers). Binding is by <see cref="StationId"/> +
/// <see cref="ShootNumber"/>, never by arrival order.
/// </summary>
public sealed record PhotoUploaded(
    Guid PhotoId,
    string SchoolCode,
    Guid VenueId,
    string StationId,
    string ShootNumber,
    int ShotIndex,
    string ObjectKey,
    string Sha256,
    long SizeBytes,
    string ContentType,
    DateTimeOffset UploadedAt);

/// <summary>A photo was bound to a registration (by its shoot number, or by a person resolving a held photo).</summary>
public sealed record PhotoBound(
    Guid PhotoId,
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string StationId,
    string ShootNumber,
    string How,
    DateTimeOffset BoundAt);

/// <summary>
/// A photo was standardised to the CHSI spec (480×640, bucket <c>photos-standardized</c>) and judged. Passed is the
/// quality verdict; <see cref="FailedMeasures"/> names the measures that failed (e.g. <c>sharpness</c>).
/// </summary>
public sealed record PhotoStandardized(
    Guid PhotoId,
    Guid? RegistrationId,
    string SchoolCode,
    string StationId,
    string ShootNumber,
    bool Passed,
    IReadOnlyList<string> FailedMeasures,
    string? StandardizedObjectKey,
    DateTimeOffset StandardizedAt);

/// <summary>A photo could not be standardised at all (no face, corrupt image): the photographer must retake.</summary>
public sealed record PhotoRejected(
    Guid PhotoId,
    Guid? RegistrationId,
    string SchoolCode,
    string StationId,
    string ShootNumber,
    string Reason,
    DateTimeOffset RejectedAt);

/// <summary>A photo could not be bound safely and waits for a person (unknown shoot number, withdrawn student, keyframe disagreement).</summary>
public sealed record PhotoHeld(
    Guid PhotoId,
    string SchoolCode,
    string StationId,
    string ShootNumber,
    string Reason,
    DateTimeOffset HeldAt);

/// <summary>
/// A registration's photo is final: this standardised image is the one that goes to CHSI (until a retake produces a
/// newer <see cref="PhotoAccepted"/> for the same registration: the one with the latest <see cref="AcceptedAt"/> wins).
/// The image is <see cref="StandardizedObjectKey"/> in bucket <c>photos-standardized</c> (480×640 JPEG, 300 dpi),
/// whose SHA-256 is <see cref="StandardizedSha256"/>. Scheduling marks the check-in photographed; Registration records
/// the capture (so nobody is captured twice); Verification opens the student's verification task.
/// </summary>
public sealed record PhotoAccepted(
    Guid PhotoId,
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string StationId,
    string ShootNumber,
    string StandardizedObjectKey,
    string StandardizedSha256,
    bool QualityPassed,
    IReadOnlyList<string> FailedMeasures,
    string AcceptedBy,
    DateTimeOffset AcceptedAt);
