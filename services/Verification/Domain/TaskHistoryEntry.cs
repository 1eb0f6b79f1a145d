namespace Capture.Verification.Domain;

/// <summary>
/// One thing that happened to a verification task: a photo accepted (each retake too), data changed, a decision (who,
/// when, from where), expiry, withdrawal. Never updated or deleted. At most one decision per task and round (a unique index).
/// </summary>
public sealed class TaskHistoryEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid RegistrationId { get; init; }

    public int Round { get; init; }

    public required string Kind { get; init; }

    public Guid? PhotoId { get; init; }

    public string? PhotoKey { get; init; }

    public string? PhotoSha256 { get; init; }

    /// <summary>Comma-separated field names (a data dispute, a data change). Never values.</summary>
    public string? Fields { get; init; }

    /// <summary>What the student wrote with a dispute (their own words, for their college).</summary>
    public string? Comment { get; init; }

    public required string Actor { get; init; }

    public string? RemoteAddress { get; init; }

    public DateTimeOffset At { get; init; }

    public const string PhotoAccepted = "photo-accepted";
    public const string DataChanged = "data-changed";
    public const string CorrectionRejected = "correction-rejected";
    public const string Confirmed = "confirmed";
    public const string DisputedPhoto = "disputed-photo";
    public const string DisputedData = "disputed-data";
    public const string Expired = "expired";
    public const string Withdrawn = "withdrawn";

    public static readonly string[] Decisions = [Confirmed, DisputedPhoto, DisputedData];
}
