using System.Security.Claims;
using Capture.Registration.Domain;
using Capture.ServiceDefaults.Security;

namespace Capture.Registration.Apis;

/// <summary>
/// Who is calling and what they may see. A student's token carries <c>sub</c> = their student number (学号) and
/// <c>school</c> = the school code; college staff see their own college in their own school; school admins and the
/// university's integration client see their own school; ops and station operators see no personal data lists.
/// </summary>
public sealed record Caller(string Role, string Subject, string? School, string? College)
{
    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirst(CaptureClaims.Role)?.Value ?? "", user.Subject() ?? "", user.School(), user.College());

    /// <summary>How changes are attributed in the history: role and subject.</summary>
    public string Actor => $"{Role}:{Subject}";

    public bool MaySeeSchool(string schoolCode) => Role == CaptureRoles.Ops || string.Equals(School, schoolCode, StringComparison.Ordinal);

    public bool MaySee(StudentRegistration r) => Role switch
    {
        CaptureRoles.SchoolAdmin or CaptureRoles.IntegrationClient => School == r.SchoolCode,
        CaptureRoles.CollegeStaff => School == r.SchoolCode && College == r.CollegeCode,
        CaptureRoles.Student => School == r.SchoolCode && Subject == r.StudentNumber,
        _ => false,
    };

    /// <summary>Registrations this caller may list: the school's, narrowed to the college for college staff and to themself for a student.</summary>
    public IQueryable<StudentRegistration> Scope(IQueryable<StudentRegistration> query) => Role switch
    {
        CaptureRoles.SchoolAdmin or CaptureRoles.IntegrationClient => query.Where(r => r.SchoolCode == School),
        CaptureRoles.CollegeStaff => query.Where(r => r.SchoolCode == School && r.CollegeCode == College),
        CaptureRoles.Student => query.Where(r => r.SchoolCode == School && r.StudentNumber == Subject),
        _ => query.Where(r => false),
    };
}
