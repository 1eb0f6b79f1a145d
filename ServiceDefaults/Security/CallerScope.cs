using System.Security.Claims;

namespace Capture.ServiceDefaults.Security;

/// <summary>
/// One way, for every service, to compare a caller's scope with a resource's owner. School codes compare ordinal
/// ignoring case; a role whose scoping claim is missing gets nothing (<see cref="MissingScopeClaim"/> names the
/// claim so the endpoint can answer 403 with it), never "everything".
/// </summary>
public static class CallerScope
{
    public static bool IsOpsRole(this ClaimsPrincipal user) => user.IsInRole(CaptureRoles.Ops);

    /// <summary>Ops, or a caller whose <c>school</c> claim is this school.</summary>
    public static bool MayActForSchool(this ClaimsPrincipal user, string schoolCode) =>
        user.IsOpsRole() || (user.School() is { Length: > 0 } own && SameSchool(own, schoolCode));

    /// <summary>Whether two school codes name the same school (ordinal, ignoring case; an empty code is no school).</summary>
    public static bool SameSchool(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The venue id of a station operator's token, or null (no claim, or not a GUID).</summary>
    public static Guid? VenueId(this ClaimsPrincipal user) => Guid.TryParse(user.Venue(), out var venue) ? venue : null;

    /// <summary>Ops, or a station operator whose <c>venue</c> claim is this venue.</summary>
    public static bool MayRunVenue(this ClaimsPrincipal user, Guid venueId) =>
        user.IsOpsRole()
        || (user.IsInRole(CaptureRoles.StationOperator) && Guid.TryParse(user.Venue(), out var venue) && venue == venueId);

    /// <summary>The scoping claim this caller's role needs and lacks (<c>school</c>, <c>college</c>, <c>venue</c>), or null.</summary>
    public static string? MissingScopeClaim(this ClaimsPrincipal user)
    {
        static bool Lacks(string? value) => string.IsNullOrWhiteSpace(value);
        if (user.IsOpsRole())
        {
            return null;
        }

        if (user.IsInRole(CaptureRoles.StationOperator))
        {
            return Lacks(user.Venue()) || !Guid.TryParse(user.Venue(), out _) ? CaptureClaims.Venue : null;
        }

        if (Lacks(user.School()))
        {
            return CaptureClaims.School;
        }

        return user.IsInRole(CaptureRoles.CollegeStaff) && Lacks(user.College()) ? CaptureClaims.College : null;
    }
}
