using Capture.ServiceDefaults.Validation;

namespace Capture.Registration.Domain;

/// <summary>What a school admin sets on a campaign; validated by <see cref="Campaign.Validate"/>.</summary>
public sealed record CampaignTerms(
    [PlainText(200)] string? SchoolName,
    [PlainText(64)] string? Cohort,
    IReadOnlyList<string>? DegreeLevels,
    IReadOnlyList<string>? StudyModes,
    DateTimeOffset? RegistrationOpensAt,
    DateTimeOffset? RegistrationClosesAt,
    DateTimeOffset? CorrectionDeadline,
    long? FeeFen,
    int? VerificationWindowDays);
