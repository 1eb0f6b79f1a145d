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

    /// <summary>
    /// The lowest capture-code version still valid (from <c>CaptureCodeRevoked</c> and approvals): every instance checks
    /// a scanned code against it in the database, whatever its cache or the offline copy says.
    /// </summary>
    public int CaptureCodesValidFrom { get; set; }

    /// <summary>When the student data here was last set (approval or correction), so an older message never overwrites a newer one.</summary>
    public DateTimeOffset? DataAsOf { get; set; }

    /// <summary>
    /// Whether a code of <paramref name="version"/> may still be honoured when codes below <paramref name="validFrom"/>
    /// are dead. A code of unknown version (an older Registration did not say) is honoured only while none was ever revoked.
    /// </summary>
    public static bool Honours(int validFrom, int? version) => version is { } v ? v >= validFrom : validFrom == 0;

    public bool IsActive => ApprovedAt is not null && (WithdrawnAt is null || WithdrawnAt < ApprovedAt);
}
