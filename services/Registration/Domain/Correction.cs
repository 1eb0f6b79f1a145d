namespace Capture.Registration.Domain;

/// <summary>A student's request to correct one field of their registration, and its decision.</summary>
public sealed class Correction
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public Guid RegistrationId { get; private set; }

    public Guid CampaignId { get; private set; }

    public string SchoolCode { get; private set; } = "";

    public string CollegeCode { get; private set; } = "";

    public string Field { get; private set; } = "";

    /// <summary>For an ID number correction, the document type of the new number.</summary>
    public string? NewIdType { get; private set; }

    public string NewValue { get; private set; } = "";

    public string? OldValue { get; private set; }

    public string Reason { get; private set; } = "";

    /// <summary>Where the supporting document is (e.g. an uploaded file's key, or "原件已交研究生院").</summary>
    public string? DocumentReference { get; private set; }

    public string Status { get; private set; } = CorrectionStatus.Pending;

    public string RequestedBy { get; private set; } = "";

    public DateTimeOffset RequestedAt { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecisionNote { get; private set; }

    public static Correction Request(StudentRegistration registration, string field, string? newIdType, string newValue, string reason, string? document, string by, DateTimeOffset now) =>
        new()
        {
            RegistrationId = registration.Id,
            CampaignId = registration.CampaignId,
            SchoolCode = registration.SchoolCode,
            CollegeCode = registration.CollegeCode,
            Field = field,
            NewIdType = newIdType,
            NewValue = newValue,
            OldValue = registration.Value(field),
            Reason = reason,
            DocumentReference = document,
            RequestedBy = by,
            RequestedAt = now,
        };

    public void Decide(bool approved, string by, string? note, DateTimeOffset now)
    {
        Status = approved ? CorrectionStatus.Applied : CorrectionStatus.Rejected;
        DecidedBy = by;
        DecidedAt = now;
        DecisionNote = note;
    }
}
