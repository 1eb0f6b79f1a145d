using System.Security.Claims;
using Capture.ServiceDefaults.Security;

namespace Capture.CaptureIngest.Apis;

/// <summary>
/// Who sees which photos: a station operator those of their venue, a school admin those of their school, ops all.
/// Photos are personal data: nobody else (not a college, not a student) sees raw or unaccepted shots here.
/// </summary>
public static class PhotoScope
{
    public static bool MayView(this ClaimsPrincipal user, string schoolCode, Guid venueId) =>
        user.MayRunVenue(venueId)
        || (user.IsInRole(CaptureRoles.SchoolAdmin) && user.MayActForSchool(schoolCode));

    /// <summary>A 403 naming the missing scoping claim, or null when the caller's token has what its role needs.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? MissingClaim(this ClaimsPrincipal user) =>
        user.MissingScopeClaim() is { } claim
            ? Problems.Forbidden($"Your token has no '{claim}' claim, which your role needs here: ask for a token issued for your {claim}.")
            : null;
}
