using System.Security.Claims;
using Capture.Contracts.Scheduling;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Apis;

/// <summary>Live queues per station, queue states, a venue overview for ops, and closing a session.</summary>
public static class QueueApi
{
    public static RouteGroupBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchedulingDbContext.RoutePrefix).WithTags("Live queue");
        group.MapGet("/stations/{stationId:guid}/queue", GetQueueAsync).WithName("GetStationQueue")
            .WithSummary("A station's queue in a session (default: the latest session it checked anyone in for): calling order and counts.")
            .RequireRoles(CaptureRoles.StationOperator, CaptureRoles.Ops);
        group.MapPut("/check-ins/{checkInId:guid}/status", ChangeStatusAsync).WithName("ChangeCheckInStatus")
            .WithSummary("Moves a checked-in student along the queue: called, photographed, absent (or back to checked-in).")
            .RequireRoles(CaptureRoles.StationOperator);
        group.MapGet("/venues/{venueId:guid}/queues", GetVenueAsync).WithName("GetVenueQueues")
            .WithSummary("Every station of a venue at a glance: waiting, photographed, absent, last shoot number.")
            .RequireRoles(CaptureRoles.Ops, CaptureRoles.StationOperator, CaptureRoles.SchoolAdmin);
        group.MapPost("/sessions/{sessionId:guid}/close", CloseAsync).WithName("CloseSession")
            .WithSummary("Closes a session; its absentees become eligible for makeup, and SessionClosed lists them.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.StationOperator);
        return group;
    }

    private static async Task<Results<Ok<StationQueue>, ProblemHttpResult>> GetQueueAsync(
        Guid stationId, Guid? sessionId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var station = await s.Db.Stations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == stationId, ct);
        if (station is null || !user.RunsVenue(station.VenueId))
        {
            return Problems.NotFound($"No station {stationId} at your venue.");
        }

        var session = sessionId ?? await s.Db.CheckIns.Where(c => c.StationId == stationId).OrderByDescending(c => c.CheckedInAt).Select(c => (Guid?)c.SessionId).FirstOrDefaultAsync(ct);
        if (session is null)
        {
            return TypedResults.Ok(new StationQueue(stationId, station.Code, Guid.Empty, 0, 0, 0, 0, []));
        }

        var rows = await (from c in s.Db.CheckIns
                          join r in s.Db.Registrations on c.RegistrationId equals r.RegistrationId
                          where c.StationId == stationId && c.SessionId == session
                          orderby c.Late, c.Sequence
                          select new { c, r }).AsNoTracking().ToListAsync(ct);
        int Count(CheckInStatus status) => rows.Count(x => x.c.Status == status);
        var entries = rows
            .Where(x => x.c.Status is CheckInStatus.CheckedIn or CheckInStatus.Called)
            .Select(x => new QueueEntry(x.c.Id, x.c.ShootNumber, x.r.StudentName, x.r.StudentNumber, x.r.CollegeName, x.r.ClassName, x.c.Status.ToString(), x.c.Late, x.c.CheckedInAt))
            .ToList();
        return TypedResults.Ok(new StationQueue(stationId, station.Code, session.Value, Count(CheckInStatus.CheckedIn), Count(CheckInStatus.Called), Count(CheckInStatus.Photographed), Count(CheckInStatus.Absent), entries));
    }

    private static async Task<Results<Ok<QueueEntry>, ValidationProblem, ProblemHttpResult>> ChangeStatusAsync(
        Guid checkInId, ChangeCheckInStatusRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        if (CheckInStatusNames.Parse(request.Status) is not { } status)
        {
            return Problems.Invalid("status", "Give one of: checked-in, called, photographed, absent.");
        }

        var checkIn = await s.Db.CheckIns.FirstOrDefaultAsync(c => c.Id == checkInId, ct);
        var station = checkIn is null ? null : await s.Db.Stations.AsNoTracking().FirstAsync(x => x.Id == checkIn.StationId, ct);
        if (checkIn is null || station is null || !user.RunsVenue(station.VenueId))
        {
            return Problems.NotFound($"No check-in {checkInId} at your venue.");
        }

        checkIn.Status = status;
        checkIn.StatusChangedAt = s.Time.GetUtcNow();
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Another station changed this student's state at the same time; reload the queue.", "concurrent-change");
        }

        var r = await s.Db.Registrations.AsNoTracking().FirstAsync(x => x.RegistrationId == checkIn.RegistrationId, ct);
        return TypedResults.Ok(new QueueEntry(checkIn.Id, checkIn.ShootNumber, r.StudentName, r.StudentNumber, r.CollegeName, r.ClassName, checkIn.Status.ToString(), checkIn.Late, checkIn.CheckedInAt));
    }

    private static async Task<Results<Ok<VenueQueueSummary>, ProblemHttpResult>> GetVenueAsync(
        Guid venueId, Guid? sessionId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var venue = await s.Db.Venues.AsNoTracking().FirstOrDefaultAsync(v => v.Id == venueId, ct);
        var allowed = venue is not null && (user.RunsVenue(venueId) || (user.IsInRole(CaptureRoles.SchoolAdmin) && user.ActsFor(venue.SchoolCode)));
        if (!allowed)
        {
            return Problems.NotFound($"No venue {venueId} in your scope.");
        }

        var stations = await s.Db.Stations.AsNoTracking().Where(x => x.VenueId == venueId).OrderBy(x => x.Code).ToListAsync(ct);
        var stationIds = stations.Select(x => x.Id).ToList();
        var session = sessionId ?? await s.Db.CheckIns.Where(c => stationIds.Contains(c.StationId)).OrderByDescending(c => c.CheckedInAt).Select(c => (Guid?)c.SessionId).FirstOrDefaultAsync(ct);
        var counts = await s.Db.CheckIns.AsNoTracking().Where(c => c.SessionId == session && stationIds.Contains(c.StationId))
            .GroupBy(c => new { c.StationId, c.Status }).Select(g => new { g.Key.StationId, g.Key.Status, Count = g.Count(), Last = g.Max(c => c.Sequence) })
            .ToListAsync(ct);
        var summaries = stations.Select(x =>
        {
            var mine = counts.Where(c => c.StationId == x.Id).ToList();
            var last = mine.Count == 0 ? (int?)null : mine.Max(c => c.Last);
            return new StationSummary(x.Id, x.Code,
                mine.Where(c => c.Status is CheckInStatus.CheckedIn or CheckInStatus.Called).Sum(c => c.Count),
                mine.Where(c => c.Status == CheckInStatus.Photographed).Sum(c => c.Count),
                mine.Where(c => c.Status == CheckInStatus.Absent).Sum(c => c.Count),
                last is null ? null : ShootNumber.Format(x.Code, last.Value));
        }).ToList();
        return TypedResults.Ok(new VenueQueueSummary(venueId, session, summaries));
    }

    /// <summary>
    /// Absentees of a session: approved students of its colleges who never checked in anywhere in the campaign
    /// (when the session is the last open one of their college), plus students checked in here and marked absent.
    /// </summary>
    private static async Task<Results<Ok<SessionClosedResponse>, ProblemHttpResult>> CloseAsync(
        Guid sessionId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var session = await s.Db.Sessions.FirstOrDefaultAsync(x => x.Id == sessionId, ct);
        if (session is null || !(user.RunsVenue(session.VenueId) || (user.IsInRole(CaptureRoles.SchoolAdmin) && user.ActsFor(session.SchoolCode))))
        {
            return Problems.NotFound($"No session {sessionId} in your scope.");
        }

        if (session.ClosedAt is not null)
        {
            return Problems.Conflict($"The session was closed at {session.ClosedAt:u}.", "closed");
        }

        var now = s.Time.GetUtcNow();
        var colleges = await s.Db.Allocations.Where(a => a.SessionId == sessionId).Select(a => a.CollegeCode).ToListAsync(ct);
        // A college split over several sessions is counted at its last open one.
        var laterOpen = await (from a in s.Db.Allocations
                               join x in s.Db.Sessions on a.SessionId equals x.Id
                               where a.CampaignId == session.CampaignId && colleges.Contains(a.CollegeCode) && x.Id != sessionId && x.ClosedAt == null && x.StartsAt > session.StartsAt
                               select a.CollegeCode).Distinct().ToListAsync(ct);
        var finalColleges = colleges.Except(laterOpen).ToList();
        var neverCame = await s.Db.Registrations.Active()
            .Where(r => r.CampaignId == session.CampaignId && finalColleges.Contains(r.CollegeCode))
            .Where(r => !s.Db.CheckIns.Any(c => c.RegistrationId == r.RegistrationId && c.Status != CheckInStatus.Absent))
            .Select(r => r.RegistrationId).ToListAsync(ct);
        var markedAbsent = await s.Db.CheckIns
            .Where(c => c.SessionId == sessionId && c.Status == CheckInStatus.Absent)
            .Where(c => !s.Db.CheckIns.Any(o => o.RegistrationId == c.RegistrationId && o.Id != c.Id && o.Status != CheckInStatus.Absent))
            .Select(c => c.RegistrationId).ToListAsync(ct);
        var absent = neverCame.Union(markedAbsent).Distinct().Order().ToList();

        var eligible = await s.Db.MakeupEligibilities.Where(e => e.CampaignId == session.CampaignId && absent.Contains(e.RegistrationId)).Select(e => e.RegistrationId).ToListAsync(ct);
        foreach (var id in absent.Except(eligible))
        {
            s.Db.MakeupEligibilities.Add(new MakeupEligibility { RegistrationId = id, CampaignId = session.CampaignId, Reason = MakeupEligibility.Absent, SessionId = sessionId, GrantedAt = now });
        }

        session.ClosedAt = now;
        s.Db.AddIntegrationEvent(new SessionClosed(sessionId, session.CampaignId, absent, now));
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The session was closed at the same time by someone else.", "closed");
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Conflict("The session's absentees changed while closing; try again.", "concurrent-change");
        }

        return TypedResults.Ok(new SessionClosedResponse(sessionId, now, absent));
    }
}
