namespace Capture.Contracts.Verification;

/// <summary>
/// A student confirmed (校对确认) that the standardised photo and the data of their verification task are what goes to
/// CHSI. Final for this round: only a retake or a data correction opens a new one.
/// </summary>
public sealed record PhotoVerified(
    Guid TaskId,
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string CollegeCode,
    Guid PhotoId,
    string StandardizedSha256,
    int Round,
    DateTimeOffset VerifiedAt);

/// <summary>
/// A student said what is wrong with their verification task (once a round). <see cref="Kind"/> is
/// <see cref="VerificationDisputeKinds.Photo"/> (Scheduling grants a makeup capture: a retake) or
/// <see cref="VerificationDisputeKinds.Data"/> (<see cref="Fields"/> names the wrong fields: Registration opens a
/// correction; the task waits for <c>StudentDataCorrected</c>). No field values travel here.
/// </summary>
public sealed record VerificationDisputed(
    Guid TaskId,
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string CollegeCode,
    Guid PhotoId,
    string Kind,
    IReadOnlyList<string> Fields,
    int Round,
    DateTimeOffset DisputedAt);

public static class VerificationDisputeKinds
{
    public const string Photo = "photo";
    public const string Data = "data";
}

/// <summary>A verification task is still open this many days before its deadline: the university (or a notifier) reminds the student.</summary>
public sealed record VerificationReminderDue(
    Guid TaskId,
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string CollegeCode,
    string StudentNumber,
    int DaysBefore,
    DateTimeOffset Deadline,
    DateTimeOffset DueAt);

/// <summary>The deadline passed without a decision: the task is <c>expired-unverified</c> (the school decides whether to export it).</summary>
public sealed record VerificationExpired(
    Guid TaskId,
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string CollegeCode,
    DateTimeOffset Deadline,
    DateTimeOffset ExpiredAt);

/// <summary>
/// A CHSI export batch (zip of standardised JPEGs + manifest) is in bucket <c>exports</c> under <see cref="ObjectKey"/>;
/// <see cref="Sha256"/> is the zip's. <see cref="CollegeCode"/> is null for a whole campaign.
/// </summary>
public sealed record ExportBatchReady(
    Guid BatchId,
    Guid CampaignId,
    string SchoolCode,
    string? CollegeCode,
    string ObjectKey,
    string Sha256,
    long SizeBytes,
    int PhotoCount,
    int ProblemCount,
    DateTimeOffset ReadyAt);
