using System.Security.Claims;
using Capture.ServiceDefaults.Security;

namespace Capture.Scheduling.Apis;

/// <summary>
/// Scoping rules: a school-admin or integration-client acts for the school in its <c>school</c> claim, college staff
/// for their <c>college</c> of that school, a station operator for the venue whose id is in its <c>venue</c> claim,
/// ops reads everything. A student's <c>sub</c> is their student number (学号) at the school in <c>school</c>.
/// </summary>
public static class Scope
{
    public static bool IsOps(this ClaimsPrincipal user) => user.IsInRole(CaptureRoles.Ops);

    public static bool ActsFor(this ClaimsPrincipal user, string schoolCode) =>
        user.IsOps() || string.Equals(user.School(), schoolCode, StringComparison.OrdinalIgnoreCase);

    public static bool RunsVenue(this ClaimsPrincipal user, Guid venueId) =>
        user.IsOps()
        || (user.IsInRole(CaptureRoles.StationOperator) && Guid.TryParse(user.Venue(), out var venue) && venue == venueId);

    public static string? OwnCollege(this ClaimsPrincipal user) =>
        user.IsInRole(CaptureRoles.CollegeStaff) ? user.College() : null;
}
