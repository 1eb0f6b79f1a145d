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
/// (<see cref="IdNumber"/>: Verification names CHSI export files by it). <see cref="CaptureCodeVersion"/> is the
/// version of the code issued with this approval: codes of lower versions are dead (a re-approval after a withdrawal
/// issues a new code). The whole ID number is personal data: a
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
    int? VerificationWindowDays = null,
    int? CaptureCodeVersion = null)
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
/// CHSI current with it; Scheduling and Payment keep names, college, class and campus current). A consumer applies only
/// the fields named (<c>name</c>, <c>collegeCode</c>, <c>className</c>, <c>campus</c>, …), so a null class or campus from an
/// older publisher never clears a value. Personal data: never logged (<see cref="ToString"/> leaves it out); null from
/// older publishers.
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

/// <summary>
/// A registration's capture codes below <see cref="ValidFromVersion"/> stopped working: revoked by staff (a lost phone),
/// replaced by a re-issued code, or dropped with a withdrawal. Urgent: a station must refuse the old code at once,
/// whatever it cached. <see cref="ValidFromVersion"/> is the current version when a new code was issued, and one above
/// it when the current code was revoked without a new one. <see cref="Reason"/> is <c>revoked</c> or <c>reissued</c>.
/// </summary>
public sealed record CaptureCodeRevoked(
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    int ValidFromVersion,
    string Reason,
    DateTimeOffset RevokedAt)
{
    public const string Revoked = "revoked";
    public const string Reissued = "reissued";
}

/// <summary>
/// A campaign's fee per student changed (in fen). Payment re-prices the orders not yet paid; Scheduling checks the new
/// fee at check-in (a fee raised from 0 means an unpaid student is no longer admitted).
/// </summary>
public sealed record CampaignFeeChanged(
    Guid CampaignId,
    string SchoolCode,
    long FeeFen,
    DateTimeOffset ChangedAt);

/// <summary>A registration's data after a change: what the diploma record (and the CHSI export) is keyed by.</summary>
public sealed record StudentDataSnapshot(
    string StudentNumber,
    string StudentName,
    string IdType,
    string IdNumber,
    string DegreeLevel,
    string StudyMode,
    string CollegeCode,
    string CollegeName,
    string? ClassName = null,
    string? Campus = null)
{
    public override string ToString() => $"StudentDataSnapshot {{ StudentNumber = {StudentNumber}, CollegeCode = {CollegeCode} }}";
}
