using System.Security.Claims;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.Verification.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Capture.Verification.Apis;

/// <summary>Who the caller is and what they may see: student own tasks, college staff own college, school admin own school, ops all.</summary>
public static class Caller
{
    public static string Actor(this ClaimsPrincipal user)
    {
        var actor = $"{user.FindFirst(CaptureClaims.Role)?.Value}:{user.Subject()}";
        return actor.Length > Limits.Actor ? actor[..Limits.Actor] : actor;
    }

    public static string? RemoteAddress(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString() is { } ip && ip.Length <= Limits.RemoteAddress ? ip : null;

    /// <summary>A 403 naming the missing scoping claim (a student also needs <c>sub</c>), or null.</summary>
    public static ProblemHttpResult? MissingClaim(this ClaimsPrincipal user)
    {
        var claim = user.MissingScopeClaim();
        if (claim is null && user.IsInRole(CaptureRoles.Student) && string.IsNullOrWhiteSpace(user.Subject()))
        {
            claim = CaptureClaims.Subject;
        }

        return claim is null
            ? null
            : Problems.Forbidden($"Your token has no '{claim}' claim, which your role needs here: ask for a token issued for your {claim}.");
    }

    /// <summary>Tasks this staff caller may see (call <see cref="MissingClaim"/> first).</summary>
    public static IQueryable<VerificationTask> InScope(this IQueryable<VerificationTask> tasks, ClaimsPrincipal user)
    {
        if (user.IsOpsRole())
        {
            return tasks;
        }

        var school = user.School()!.ToLowerInvariant();
        tasks = tasks.Where(t => t.SchoolCode.ToLower() == school);
        if (user.IsInRole(CaptureRoles.CollegeStaff))
        {
            var college = user.College()!;
            tasks = tasks.Where(t => t.CollegeCode == college);
        }

        return tasks;
    }

    public static bool MaySee(this ClaimsPrincipal user, VerificationTask task) =>
        user.IsOpsRole()
        || (user.MayActForSchool(task.SchoolCode)
            && (!user.IsInRole(CaptureRoles.CollegeStaff) || string.Equals(user.College(), task.CollegeCode, StringComparison.Ordinal)));
}
