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

    public const int MaxReasonLength = 1000;

    /// <summary>Who requests a correction on the student's behalf when they dispute their data at verification.</summary>
    public const string VerificationActor = "verification";

    /// <summary>
    /// The student disputed this field at verification (校对): a request the school handles, without the correct
    /// value yet (the dispute carries field names only).
    /// </summary>
    public static Correction RequestAtVerification(StudentRegistration registration, string field, int round, DateTimeOffset disputedAt) =>
        new()
        {
            RegistrationId = registration.Id,
            CampaignId = registration.CampaignId,
            SchoolCode = registration.SchoolCode,
            CollegeCode = registration.CollegeCode,
            Field = field,
            OldValue = registration.Value(field),
            Reason = $"Disputed by the student at verification (round {round}): what goes to CHSI is wrong.",
            Status = CorrectionStatus.Requested,
            RequestedBy = VerificationActor,
            RequestedAt = disputedAt,
        };

    public bool FromVerification => RequestedBy == VerificationActor;

    /// <summary>The correct value of a correction requested at verification: it now waits for the school's decision like any other.</summary>
    public void Complete(string? newIdType, string newValue, string? reason, string? document)
    {
        NewIdType = newIdType;
        NewValue = newValue;
        if (!string.IsNullOrWhiteSpace(reason))
        {
            var text = $"Disputed at verification: {reason.Trim()}";
            Reason = text.Length > MaxReasonLength ? text[..MaxReasonLength] : text;
        }

        DocumentReference = document ?? DocumentReference;
        Status = CorrectionStatus.Pending;
    }

    public void Decide(bool approved, string by, string? note, DateTimeOffset now)
    {
        Status = approved ? CorrectionStatus.Applied : CorrectionStatus.Rejected;
        DecidedBy = by;
        DecidedAt = now;
        DecisionNote = note;
    }
}
