namespace Capture.CaptureIngest.Domain;

/// <summary>
/// One shot from a station (a raw photo in <c>photos-raw</c>) and what became of it: its binding to a registration,
/// its standardised image and its quality verdict. The binding key is the data that travelled with the photo
/// (station, Beijing day, shoot number 拍摄号), never the order of arrival.
/// </summary>
public sealed class Photo
{
    public Guid Id { get; private set; }

    public string SchoolCode { get; private set; } = "";

    public Guid VenueId { get; private set; }

    public Guid StationId { get; private set; }

    /// <summary>The Beijing day the shot was taken: shoot numbers restart every day at every station.</summary>
    public DateOnly Day { get; private set; }

    public string ShootNumber { get; private set; } = "";

    /// <summary>1, 2, 3 ... for the shots of one student at one station.</summary>
    public int ShotIndex { get; private set; }

    /// <summary>A frame of the student's capture code (QR), shot first: the binding must agree with it.</summary>
    public bool IsKeyframe { get; private set; }

    public string Sha256 { get; private set; } = "";

    public long SizeBytes { get; private set; }

    public string ContentType { get; private set; } = "";

    public string RawObjectKey { get; private set; } = "";

    public int Width { get; private set; }

    public int Height { get; private set; }

    public DateTimeOffset TakenAt { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    public string UploadedBy { get; private set; } = "";

    public PhotoStatus Status { get; private set; }

    public Guid? RegistrationId { get; private set; }

    public Guid? CampaignId { get; private set; }

    public DateTimeOffset? BoundAt { get; private set; }

    public string? HeldReason { get; private set; }

    public DateTimeOffset? HeldAt { get; private set; }

    public Verdict Verdict { get; private set; }

    public string? StandardizedObjectKey { get; private set; }

    public string? StandardizedSha256 { get; private set; }

    public long? StandardizedSize { get; private set; }

    /// <summary>The quality report as JSON (measures with value, threshold, pass/fail and reasons in Chinese and English).</summary>
    public string? QualityReport { get; private set; }

    /// <summary>Names of the failed measures, comma-separated (for counting failures by reason).</summary>
    public string? FailedMeasures { get; private set; }

    public string? RejectReason { get; private set; }

    /// <summary>For a keyframe: the registration its capture code stands for (null until decoded, or if none was readable).</summary>
    public Guid? KeyframeRegistrationId { get; private set; }

    public DateTimeOffset? VerdictAt { get; private set; }

    public uint Version { get; private set; }

    private Photo()
    {
    }

    public static Photo Uploaded(
        Guid id, string schoolCode, Guid venueId, Guid stationId, DateOnly day, string shootNumber, int shotIndex, bool keyframe,
        string sha256, long size, string contentType, string objectKey, int width, int height, DateTimeOffset takenAt, DateTimeOffset uploadedAt, string uploadedBy) => new()
    {
        Id = id,
        SchoolCode = schoolCode,
        VenueId = venueId,
        StationId = stationId,
        Day = day,
        ShootNumber = shootNumber,
        ShotIndex = shotIndex,
        IsKeyframe = keyframe,
        Sha256 = sha256,
        SizeBytes = size,
        ContentType = contentType,
        RawObjectKey = objectKey,
        Width = width,
        Height = height,
        TakenAt = takenAt,
        UploadedAt = uploadedAt,
        UploadedBy = uploadedBy,
        Status = PhotoStatus.PendingBinding,
        Verdict = Verdict.Pending,
    };

    public void Bind(Guid registrationId, Guid campaignId, DateTimeOffset at)
    {
        Status = PhotoStatus.Bound;
        RegistrationId = registrationId;
        CampaignId = campaignId;
        BoundAt = at;
        HeldReason = null;
        HeldAt = null;
    }

    public void Hold(string reason, DateTimeOffset at)
    {
        Status = PhotoStatus.Held;
        HeldReason = reason;
        HeldAt = at;
    }

    public void Discard(DateTimeOffset at)
    {
        Status = PhotoStatus.Discarded;
        HeldAt ??= at;
    }

    public void Standardized(bool passed, string objectKey, string sha256, long size, string reportJson, IReadOnlyList<string> failed, DateTimeOffset at)
    {
        Verdict = passed ? Verdict.Passed : Verdict.Failed;
        StandardizedObjectKey = objectKey;
        StandardizedSha256 = sha256;
        StandardizedSize = size;
        QualityReport = reportJson;
        FailedMeasures = failed.Count == 0 ? null : string.Join(',', failed);
        RejectReason = null;
        VerdictAt = at;
    }

    public void Rejected(string reason, string? reportJson, DateTimeOffset at)
    {
        Verdict = Verdict.Rejected;
        RejectReason = reason;
        QualityReport = reportJson;
        FailedMeasures = "rejected";
        VerdictAt = at;
    }

    /// <summary>A keyframe was read: the registration its capture code names (null: no genuine code found), and what the station sees.</summary>
    public void KeyframeRead(Guid? registrationId, string outcome, DateTimeOffset at)
    {
        KeyframeRegistrationId = registrationId;
        Verdict = Verdict.Keyframe;
        RejectReason = outcome;
        VerdictAt = at;
    }
}
