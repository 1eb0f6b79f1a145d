using Capture.Registration.Domain;
using Capture.ServiceDefaults.Security;

namespace Capture.Registration.Apis;

/// <summary>
/// A registration as an API shows it. <see cref="IdNumber"/> is whole only for the college, the school and the
/// school's own system; lists and the student's own view show it masked but for the last four characters.
/// </summary>
public sealed record RegistrationView(
    Guid Id,
    Guid CampaignId,
    string SchoolCode,
    string StudentNumber,
    string Name,
    string IdType,
    string IdNumber,
    bool IdNumberMasked,
    string DegreeLevel,
    string StudyMode,
    string CollegeCode,
    string CollegeName,
    string? Major,
    string? ClassName,
    string? Campus,
    string? Cohort,
    string Status,
    string? StatusReason,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? ReviewedAt,
    bool HasCaptureCode)
{
    public static RegistrationView From(StudentRegistration r, bool fullIdNumber) => new(
        r.Id, r.CampaignId, r.SchoolCode, r.StudentNumber, r.Name, r.IdType,
        fullIdNumber ? r.IdNumber : PersonalData.MaskIdNumber(r.IdNumber), !fullIdNumber,
        r.DegreeLevel, r.StudyMode, r.CollegeCode, r.CollegeName, r.Major, r.ClassName, r.Campus, r.Cohort,
        r.Status, r.StatusReason, r.RegisteredAt.ToShanghai(), r.ConfirmedAt?.ToShanghai(), r.ReviewedAt?.ToShanghai(), r.HasCaptureCode);
}

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
