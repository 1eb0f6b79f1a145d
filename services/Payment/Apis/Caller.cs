using System.Reflection;
using System.Security.Claims;
using Capture.Payment.Domain;
using Capture.ServiceDefaults.Security;

namespace Capture.Payment.Apis;

/// <summary>
/// Who is calling and which orders they may touch: a student their own (token <c>sub</c> = student number at the
/// school in <c>school</c>), college staff their college's in their school, a school admin their school's, ops all.
/// A role without the claim its scope needs gets a 403 naming that claim, never everything.
/// </summary>
public sealed record Caller(string Role, string Subject, string? School, string? College)
{
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<Caller?>(From(context.User));

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirst(CaptureClaims.Role)?.Value ?? "", user.Subject() ?? "", NullIfBlank(user.School()), NullIfBlank(user.College()));

    public bool IsOps => Role == CaptureRoles.Ops;

    public string Actor => $"{Role}:{Subject}";

    /// <summary>The scope claim this caller's role needs and lacks, or null.</summary>
    public string? MissingClaim => Role switch
    {
        CaptureRoles.Ops => null,
        CaptureRoles.CollegeStaff when School is null => CaptureClaims.School,
        CaptureRoles.CollegeStaff when College is null => CaptureClaims.College,
        CaptureRoles.Student when string.IsNullOrEmpty(Subject) => CaptureClaims.Subject,
        _ when School is null => CaptureClaims.School,
        _ => null,
    };

    public bool MaySee(PaymentOrder o) => Role switch
    {
        CaptureRoles.Ops => true,
        CaptureRoles.SchoolAdmin => SameSchool(o.SchoolCode),
        CaptureRoles.CollegeStaff => SameSchool(o.SchoolCode) && string.Equals(College, o.CollegeCode, StringComparison.OrdinalIgnoreCase),
        CaptureRoles.Student => SameSchool(o.SchoolCode) && Subject == o.StudentNumber,
        _ => false,
    };

    public bool ActsForSchool(string schoolCode) => IsOps || SameSchool(schoolCode);

    /// <summary>Orders this caller may list. School and college codes are compared as stored (upper-case digits and letters from Registration).</summary>
    public IQueryable<PaymentOrder> Scope(IQueryable<PaymentOrder> query) => Role switch
    {
        CaptureRoles.Ops => query,
        CaptureRoles.SchoolAdmin => query.Where(o => o.SchoolCode == School),
        CaptureRoles.CollegeStaff => query.Where(o => o.SchoolCode == School && o.CollegeCode == College),
        CaptureRoles.Student => query.Where(o => o.SchoolCode == School && o.StudentNumber == Subject),
        _ => query.Where(o => false),
    };

    private bool SameSchool(string schoolCode) => string.Equals(School, schoolCode, StringComparison.OrdinalIgnoreCase);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
