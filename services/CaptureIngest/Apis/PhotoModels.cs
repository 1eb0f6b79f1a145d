using System.ComponentModel;
using System.Text.Json;
using Capture.CaptureIngest.Domain;

namespace Capture.CaptureIngest.Apis;

/// <summary>A photo as a station, the school or ops see it: where it is bound and what its verdict says.</summary>
public sealed record PhotoView(
    Guid Id,
    Guid StationId,
    Guid VenueId,
    string SchoolCode,
    DateOnly Day,
    string ShootNumber,
    int ShotIndex,
    bool Keyframe,
    string Status,
    Guid? RegistrationId,
    string? HeldReason,
    string Verdict,
    IReadOnlyList<string> FailedMeasures,
    string? RejectReason,
    JsonElement? Quality,
    bool Accepted,
    string Sha256,
    long SizeBytes,
    int Width,
    int Height,
    DateTimeOffset UploadedAt,
    DateTimeOffset? VerdictAt,
    Uri? PreviewUrl)
{
    public static PhotoView From(Photo p, bool accepted, Uri? preview = null) => new(
        p.Id, p.StationId, p.VenueId, p.SchoolCode, p.Day, p.ShootNumber, p.ShotIndex, p.IsKeyframe,
        Kebab(p.Status.ToString()), p.RegistrationId, p.HeldReason, Kebab(p.Verdict.ToString()),
        p.FailedMeasures is null ? [] : p.FailedMeasures.Split(','), p.RejectReason,
        p.QualityReport is null ? null : JsonDocument.Parse(p.QualityReport).RootElement.Clone(),
        accepted, p.Sha256, p.SizeBytes, p.Width, p.Height, p.UploadedAt, p.VerdictAt, preview);

    public static string Kebab(string value) =>
        string.Concat(value.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

/// <summary>Query of <c>GET /stations/{id}/photos</c>.</summary>
public sealed record StationPhotosQuery
{
    [Description("Only this shoot number (e.g. B2-0137).")]
    public string? ShootNumber { get; init; }

    [Description("Beijing day (yyyy-MM-dd); default today.")]
    public DateOnly? Day { get; init; }

    [Description("At most this many, newest first (1-200).")]
    [DefaultValue(50)]
    public int? Limit { get; init; }
}

/// <summary>Picks a shot as the student's final photo. A shot that failed a measure needs the reason it is still right.</summary>
public sealed record AcceptPhotoRequest(string? OverrideReason);

/// <summary>A person's decision on a held photo: bind it to a registration checked in at this school, with the reason.</summary>
public sealed record BindHeldPhotoRequest(Guid? RegistrationId, string? Reason);

/// <summary>Discard a photo (a test shot, a stranger), with the reason. The file is kept.</summary>
public sealed record DiscardPhotoRequest(string? Reason);
