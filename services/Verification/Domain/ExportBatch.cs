namespace Capture.Verification.Domain;

/// <summary>
/// A CHSI export batch (导出批次): the zip of one campaign's (or one college's) verified students' standardised photos
/// and their manifest, built in the background and stored in bucket <c>exports</c>.
/// </summary>
public sealed class ExportBatch
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CampaignId { get; init; }

    public required string SchoolCode { get; init; }

    /// <summary>Empty for the whole campaign.</summary>
    public string CollegeCode { get; init; } = "";

    /// <summary><see cref="ExportNaming.IdNumber"/> or <see cref="ExportNaming.StudentNumber"/>.</summary>
    public required string Naming { get; init; }

    /// <summary>Also export students whose window expired unverified (the school's decision).</summary>
    public bool IncludeExpired { get; init; }

    public ExportState State { get; private set; } = ExportState.Queued;

    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string? ObjectKey { get; private set; }

    public string? Sha256 { get; private set; }

    public long SizeBytes { get; private set; }

    public int PhotoCount { get; private set; }

    public int ProblemCount { get; private set; }

    public string? Failure { get; private set; }

    /// <summary>
    /// How many builds of this batch have started. A build stopped by a passing fault (the object store or the database
    /// out of reach) leaves the batch building, and the next sweep tries again, up to <c>Verification:ExportMaxAttempts</c>.
    /// </summary>
    public int Attempts { get; private set; }

    public void Start()
    {
        State = ExportState.Building;
        Attempts++;
    }

    /// <summary>A build stopped by a passing fault: the batch stays building, saying why, for the next sweep to try again.</summary>
    public void Interrupted(string why)
    {
        var text = $"attempt {Attempts} stopped ({why}); tried again by the next sweep";
        Failure = text.Length > Limits.Reason ? text[..Limits.Reason] : text;
    }

    public void Ready(string objectKey, string sha256, long size, int photos, int problems, DateTimeOffset now)
    {
        State = ExportState.Ready;
        ObjectKey = objectKey;
        Sha256 = sha256;
        SizeBytes = size;
        PhotoCount = photos;
        ProblemCount = problems;
        FinishedAt = now;
        Failure = null;
    }

    public void Fail(string failure, DateTimeOffset now)
    {
        State = ExportState.Failed;
        Failure = failure.Length > Limits.Reason ? failure[..Limits.Reason] : failure;
        FinishedAt = now;
    }
}

public enum ExportState
{
    Queued,
    Building,
    Ready,
    Failed,
}

/// <summary>A student left out of a batch, and why (a photo missing from storage, off the spec, a withdrawal...).</summary>
public sealed class ExportProblem
{
    public Guid BatchId { get; init; }

    public Guid RegistrationId { get; init; }

    public required string StudentNumber { get; init; }

    public required string CollegeCode { get; init; }

    /// <summary><c>missing-photo</c>, <c>off-spec</c>, <c>checksum-mismatch</c>, <c>withdrawn</c>, <c>no-id-number</c>, <c>duplicate-file-name</c>.</summary>
    public required string Kind { get; init; }

    public required string Detail { get; init; }
}

public static class ExportNaming
{
    public const string IdNumber = "id-number";
    public const string StudentNumber = "student-number";

    public static readonly string[] All = [IdNumber, StudentNumber];

    /// <summary>The photo's file name in the zip (the collector's convention: <c>{ID number}.jpg</c>), or null when it cannot be made safely.</summary>
    public static string? FileName(string naming, string? idNumber, string? studentNumber)
    {
        var stem = naming == StudentNumber ? studentNumber : idNumber;
        if (string.IsNullOrEmpty(stem) || stem.Length > 64 || !stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '(' or ')'))
        {
            return null;
        }

        return stem.ToUpperInvariant() + ".jpg";
    }
}
