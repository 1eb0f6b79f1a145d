namespace Capture.Scheduling.Domain;

/// <summary>
/// Scheduling's own copy of an approved registration, kept from RegistrationApproved / RegistrationWithdrawn, so
/// planning and check-in never have to ask Registration. A withdrawal that arrives first leaves a tombstone.
/// </summary>
public sealed class ApprovedRegistration
{
    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    public required string SchoolCode { get; set; }

    public required string CollegeCode { get; set; }

    public required string CollegeName { get; set; }

    public string? ClassName { get; set; }

    public required string StudentNumber { get; set; }

    public required string StudentName { get; set; }

    public required string MaskedIdNumber { get; set; }

    public required string DegreeLevel { get; set; }

    public string? Campus { get; set; }

    public long FeeFen { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }

    public bool IsActive => ApprovedAt is not null && (WithdrawnAt is null || WithdrawnAt < ApprovedAt);
}
