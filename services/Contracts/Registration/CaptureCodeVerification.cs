namespace Capture.Contracts.Registration;

/// <summary>Body of <c>POST /api/registration/capture-codes/verify</c>: the text a station scanned from a QR code.</summary>
public sealed record VerifyCaptureCodeRequest(string Code);

/// <summary>
/// What Registration answers for a valid, unrevoked capture code (采集码): the registration it stands for and what
/// a station operator must see. The ID number is masked but for its last four characters. <see cref="CaptureCodeVersion"/>
/// is the version of the scanned code, so a service that caches the answer can tell it from a later revocation
/// (<see cref="CaptureCodeRevoked"/>); null from an older Registration.
/// </summary>
public sealed record CaptureCodeVerification(
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string StudentNumber,
    string StudentName,
    string CollegeCode,
    string CollegeName,
    string? ClassName,
    string DegreeLevel,
    string MaskedIdNumber,
    string Status,
    int? CaptureCodeVersion = null);
