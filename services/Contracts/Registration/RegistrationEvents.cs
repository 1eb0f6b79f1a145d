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
/// Scheduling, Payment and Verification need so that none has to ask Registration: campaign, school, college, class,
/// degree level, campus, fee (in fen), the campaign's verification window, and the ID type and whole ID number
/// (<see cref="IdNumber"/>: Verification names CHSI export files by it). The whole ID number is personal data: a
/// consumer that does not need it ignores it and never logs it; <see cref="ToString"/> masks it.
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
    DateTimeOffset ApprovedAt,
    string? IdType = null,
    string? IdNumber = null,
    int? VerificationWindowDays = null)
{
    public override string ToString() =>
        $"RegistrationApproved {{ RegistrationId = {RegistrationId}, CampaignId = {CampaignId}, SchoolCode = {SchoolCode}, CollegeCode = {CollegeCode}, IdNumber = {MaskedIdNumber} }}";
}

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

/// <summary>
/// Fields of a student's data changed (an approved correction, or a roster with new values). <see cref="Fields"/> names
/// them; <see cref="Current"/> is the student's data as it now is, whole (Verification keeps the snapshot that goes to
/// CHSI current with it). Personal data: never logged (<see cref="ToString"/> leaves it out); null from older publishers.
/// </summary>
public sealed record StudentDataCorrected(
    Guid RegistrationId,
    Guid CampaignId,
    IReadOnlyList<string> Fields,
    DateTimeOffset CorrectedAt,
    StudentDataSnapshot? Current = null)
{
    public override string ToString() =>
        $"StudentDataCorrected {{ RegistrationId = {RegistrationId}, CampaignId = {CampaignId}, Fields = [{string.Join(", ", Fields)}] }}";
}

/// <summary>
/// The school rejected the last open correction that a data dispute at verification raised for this registration:
/// the data stays as it was, and the student verifies it again (Verification reopens the task). The note is the
/// school's reason, shown to the student; kept out of logs (ToString).
/// </summary>
public sealed record StudentDataCorrectionRejected(
    Guid RegistrationId,
    Guid CampaignId,
    IReadOnlyList<string> Fields,
    string Note,
    DateTimeOffset RejectedAt)
{
    public override string ToString() =>
        $"StudentDataCorrectionRejected {{ RegistrationId = {RegistrationId}, CampaignId = {CampaignId}, Fields = [{string.Join(", ", Fields)}] }}";
}

/// <summary>A registration's data after a change: what the diploma record (and the CHSI export) is keyed by.</summary>
public sealed record StudentDataSnapshot(
    string StudentNumber,
    string StudentName,
    string IdType,
    string IdNumber,
    string DegreeLevel,
    string StudyMode,
    string CollegeCode,
    string CollegeName)
{
    public override string ToString() => $"StudentDataSnapshot {{ StudentNumber = {StudentNumber}, CollegeCode = {CollegeCode} }}";
}
