using System.Security.Claims;
using Capture.Scheduling.Domain;
using Capture.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Infrastructure;

/// <summary>
/// Maps a student token to a registration: <c>sub</c> is the student number (学号), <c>school</c> the school code; the
/// student's active registration in the most recently approved campaign (or the given one) is theirs.
/// </summary>
public static class StudentLookup
{
    public static Task<ApprovedRegistration?> FindAsync(SchedulingDbContext db, ClaimsPrincipal user, Guid? campaignId, CancellationToken ct)
    {
        var school = user.School();
        var number = user.Subject();
        return db.Registrations.AsNoTracking().Active()
            .Where(r => r.SchoolCode == school && r.StudentNumber == number && (campaignId == null || r.CampaignId == campaignId))
            .OrderByDescending(r => r.ApprovedAt)
            .FirstOrDefaultAsync(ct);
    }
}
