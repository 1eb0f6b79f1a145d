namespace Capture.Contracts.Registration;

/// <summary>
/// A school created a campaign (采集批次). The campaign belongs to that school everywhere: Scheduling plans it only for
/// this school, and refuses any other school's capture days, plans or check-ins for it.
/// </summary>
public sealed record CampaignCreated(
    Guid CampaignId,
    string SchoolCode,
    string Cohort,
    DateTimeOffset CreatedAt);

/// <summary>A student was added to a campaign (from the university's roster, a spreadsheet, or by hand).</summary>
public sealed record StudentRegistered(
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string StudentNumber,
    string CollegeCode,
    string DegreeLevel,
    DateTimeOffset RegisteredAt);

/// <summary>
/// A college approved a registration: the student may now be scheduled, pay and be captured. Carries what
/// Scheduling and Payment need so that neither has to ask Registration: campaign, school, college, class, degree
/// level, campus and fee (in fen). The ID number travels only masked.
/// </summary>
public sealed record RegistrationApproved(
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string CollegeCode,
    string CollegeName,
    string? ClassName,
    string StudentNumber,
    string StudentName,
    string MaskedIdNumber,
    string DegreeLevel,
    string StudyMode,
    string? Campus,
    long FeeFen,
    DateTimeOffset ApprovedAt);

/// <summary>A college rejected a registration, with the reason the student sees.</summary>
public sealed record RegistrationRejected(
    Guid RegistrationId,
    Guid CampaignId,
    string CollegeCode,
    string Reason,
    DateTimeOffset RejectedAt);

/// <summary>A registration left the campaign (withdrawn by the school, or found ineligible after approval).</summary>
public sealed record RegistrationWithdrawn(
    Guid RegistrationId,
    Guid CampaignId,
    string CollegeCode,
    string Reason,
    DateTimeOffset WithdrawnAt);

/// <summary>Fields of a student's data changed through an approved correction. Values are not carried (personal data): ask Registration.</summary>
public sealed record StudentDataCorrected(
    Guid RegistrationId,
    Guid CampaignId,
    IReadOnlyList<string> Fields,
    DateTimeOffset CorrectedAt);
