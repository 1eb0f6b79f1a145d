using Capture.ServiceDefaults.Time;
using System.Security.Claims;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Apis;

/// <summary>
/// Capture day as ops watch it: per venue and station, who checked in, who waits, who was photographed, when the
/// station last checked anyone in, whether a session is running there now; and check-ins per minute for the last hour.
/// </summary>
public static class CaptureDayOpsApi
{
    public sealed record StationActivity(
        Guid StationId, string StationCode, string StationName, Guid VenueId, string VenueName, string SchoolCode,
        int CheckedIn, int Waiting, int Photographed, int Absent, int Late, DateTimeOffset? LastCheckInAt, bool SessionRunning, DateTimeOffset? SessionEndsAt);

    public sealed record CaptureDayActivity(DateOnly Day, DateTimeOffset At, IReadOnlyList<StationActivity> Stations, IReadOnlyList<MinuteCount> CheckInsPerMinute);

    public static RouteGroupBuilder MapCaptureDayOpsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchedulingDbContext.RoutePrefix + "/ops").WithTags("Live queue");
        group.MapGet("/capture-day", GetAsync).WithName("GetCaptureDayActivity")
            .WithSummary("Per station for a Beijing day (default today): checked in, waiting, photographed, absent, late, last check-in, session running now; check-ins per minute for the last 60 minutes. Ops: every school; school admin: own school.")
            .RequireRoles(CaptureRoles.Ops, CaptureRoles.SchoolAdmin);
        return group;
    }

    private static async Task<Results<Ok<CaptureDayActivity>, ProblemHttpResult>> GetAsync(
        DateOnly? day, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        if (user.MissingScopeClaim() is { } missing)
        {
            return Problems.Forbidden($"Your token has no '{missing}' claim: it cannot say whose capture day you may see.");
        }

        var now = s.Time.GetUtcNow();
        var date = day ?? ShanghaiTime.Today(now);
        var school = user.IsOpsRole() ? null : user.School();

        var venues = s.Db.Venues.AsNoTracking().Where(v => school == null || v.SchoolCode == school);
        var stations = await (from st in s.Db.Stations.AsNoTracking()
                              join v in venues on st.VenueId equals v.Id
                              orderby v.Name, st.Code
                              select new { st.Id, st.Code, st.Name, VenueId = v.Id, VenueName = v.Name, v.SchoolCode }).ToListAsync(ct);
        var ids = stations.Select(x => x.Id).ToList();
        var counts = await s.Db.CheckIns.AsNoTracking()
            .Where(c => c.Day == date && ids.Contains(c.StationId))
            .GroupBy(c => new { c.StationId, c.Status })
            .Select(g => new { g.Key.StationId, g.Key.Status, Count = g.Count(), Late = g.Count(c => c.Late), Last = g.Max(c => c.CheckedInAt) })
            .ToListAsync(ct);
        var venueIds = stations.Select(x => x.VenueId).Distinct().ToList();
        var running = await s.Db.Sessions.AsNoTracking()
            .Where(x => venueIds.Contains(x.VenueId) && x.StartsAt <= now && x.EndsAt > now && x.ClosedAt == null)
            .Select(x => new { x.VenueId, x.EndsAt })
            .ToListAsync(ct);

        var hourAgo = now.AddMinutes(-60);
        var recent = await s.Db.CheckIns.AsNoTracking()
            .Where(c => c.CheckedInAt > hourAgo && ids.Contains(c.StationId))
            .Select(c => c.CheckedInAt)
            .ToListAsync(ct);

        var rows = stations.Select(x =>
        {
            var mine = counts.Where(c => c.StationId == x.Id).ToList();
            var session = running.Where(r => r.VenueId == x.VenueId).OrderByDescending(r => r.EndsAt).FirstOrDefault();
            return new StationActivity(
                x.Id, x.Code, x.Name, x.VenueId, x.VenueName, x.SchoolCode,
                mine.Sum(c => c.Count),
                mine.Where(c => c.Status is CheckInStatus.CheckedIn or CheckInStatus.Called).Sum(c => c.Count),
                mine.Where(c => c.Status == CheckInStatus.Photographed).Sum(c => c.Count),
                mine.Where(c => c.Status == CheckInStatus.Absent).Sum(c => c.Count),
                mine.Sum(c => c.Late),
                mine.Count == 0 ? null : mine.Max(c => c.Last),
                session is not null,
                session?.EndsAt);
        }).ToList();

        return TypedResults.Ok(new CaptureDayActivity(date, now, rows, MinuteCounts.Last(recent, now)));
    }
}
