namespace Capture.Verification.Domain;

/// <summary>One view or download of personal data (a student's photo, an export batch): who, what, when, from where.</summary>
public sealed class PhotoAccess
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DateTimeOffset At { get; init; }

    /// <summary><c>role:subject</c> of the caller.</summary>
    public required string Actor { get; init; }

    public required string SchoolCode { get; init; }

    /// <summary><c>photo</c> (a presigned URL handed out) or <c>export</c> (a batch download URL handed out).</summary>
    public required string What { get; init; }

    public Guid? RegistrationId { get; init; }

    public Guid? PhotoId { get; init; }

    public Guid? BatchId { get; init; }

    public string? RemoteAddress { get; init; }
}
