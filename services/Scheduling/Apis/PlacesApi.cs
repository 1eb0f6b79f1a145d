using Capture.Contracts.Scheduling;
using System.Security.Claims;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Apis;

/// <summary>Campuses, venues, stations, capture days and sessions: the places and times a school captures in.</summary>
public static class PlacesApi
{
    public static RouteGroupBuilder MapPlacesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchedulingDbContext.RoutePrefix).WithTags("Places and days");

        group.MapPost("/campuses", CreateCampusAsync).WithName("CreateCampus").WithSummary("Adds a campus of the caller's school.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapGet("/campuses", ListCampusesAsync).WithName("ListCampuses").WithSummary("The campuses of the caller's school.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.IntegrationClient, CaptureRoles.CollegeStaff);
        group.MapPost("/venues", CreateVenueAsync).WithName("CreateVenue").WithSummary("Adds a venue (room, building) on a campus.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapGet("/venues", ListVenuesAsync).WithName("ListVenues").WithSummary("The venues of the caller's school.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.IntegrationClient, CaptureRoles.CollegeStaff);
        group.MapPost("/venues/{venueId:guid}/stations", CreateStationAsync).WithName("CreateStation")
            .WithSummary("Adds a station (one camera position) with its throughput in students per hour.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapGet("/venues/{venueId:guid}/stations", ListStationsAsync).WithName("ListStations").WithSummary("The stations of a venue.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.StationOperator, CaptureRoles.Ops);
        group.MapPost("/stations/announce", AnnounceStationsAsync).WithName("AnnounceStations")
            .WithSummary("Publishes StationOpened again for every station (ops) or every station of the caller's school (school admin), so services that learned of stations later (Registration's venue scoping) know them all; harmless to repeat.")
            .RequireRoles(CaptureRoles.Ops, CaptureRoles.SchoolAdmin);
        group.MapPost("/capture-days", CreateCaptureDayAsync).WithName("CreateCaptureDay")
            .WithSummary("Adds a capture day of a campaign of the caller's school (learned from Registration's CampaignCreated) on a campus (Asia/Shanghai date). 409 campaign-unknown until the campaign has arrived; 404 for another school's campaign.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPost("/sessions", CreateSessionAsync).WithName("CreateSession")
            .WithSummary("Adds a session: a time window (Asia/Shanghai) at a venue on a capture day; kind makeup needs a capacity.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapGet("/campaigns/{campaignId:guid}/sessions", ListSessionsAsync).WithName("ListSessions")
            .WithSummary("A campaign's sessions with their capacities.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff, CaptureRoles.IntegrationClient, CaptureRoles.Ops);
        return group;
    }

    private static async Task<Results<Created<CampusResponse>, ValidationProblem, ProblemHttpResult>> CreateCampusAsync(
        CreateCampusRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 32)
        {
            return Problems.Invalid("code", "Give the campus code (1-32 characters), e.g. \"chenggong\".");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.Invalid("name", "Give the campus name, e.g. \"呈贡校区\".");
        }

        var school = user.School()!;
        if (await s.Db.Campuses.AnyAsync(c => c.SchoolCode == school && c.Code == request.Code.Trim(), ct))
        {
            return Problems.Conflict($"Campus '{request.Code}' exists already in school {school}.", "duplicate");
        }

        var campus = new Campus { Id = Guid.NewGuid(), SchoolCode = school, Code = request.Code.Trim(), Name = request.Name.Trim() };
        s.Db.Campuses.Add(campus);
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchedulingDbContext.RoutePrefix}/campuses/{campus.Id}", new CampusResponse(campus.Id, school, campus.Code, campus.Name));
    }

    private static async Task<Ok<List<CampusResponse>>> ListCampusesAsync(ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var school = user.School();
        var list = await s.Db.Campuses.AsNoTracking().Where(c => c.SchoolCode == school).OrderBy(c => c.Code)
            .Select(c => new CampusResponse(c.Id, c.SchoolCode, c.Code, c.Name)).ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Created<VenueResponse>, ValidationProblem, ProblemHttpResult>> CreateVenueAsync(
        CreateVenueRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var school = user.School()!;
        var campus = request.CampusId is { } id ? await s.Db.Campuses.FindAsync([id], ct) : null;
        if (campus is null || campus.SchoolCode != school)
        {
            return Problems.Invalid("campusId", "Give the id of a campus of your school (GET /api/scheduling/campuses).");
        }

        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 32)
        {
            return Problems.Invalid("code", "Give a venue code (1-32 characters), e.g. \"wenhui-1403\".");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.Invalid("name", "Give the venue's name, e.g. \"文汇楼一栋1403教室\".");
        }

        if (await s.Db.Venues.AnyAsync(v => v.SchoolCode == school && v.Code == request.Code.Trim(), ct))
        {
            return Problems.Conflict($"Venue '{request.Code}' exists already in school {school}.", "duplicate");
        }

        var venue = new Venue
        {
            Id = Guid.NewGuid(),
            SchoolCode = school,
            CampusId = campus.Id,
            Code = request.Code.Trim(),
            Name = request.Name.Trim(),
            Building = request.Building?.Trim() ?? string.Empty,
            Room = request.Room?.Trim() ?? string.Empty,
        };
        s.Db.Venues.Add(venue);
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchedulingDbContext.RoutePrefix}/venues/{venue.Id}", ToResponse(venue));
    }

    private static async Task<Ok<List<VenueResponse>>> ListVenuesAsync(ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var school = user.School();
        var venues = await s.Db.Venues.AsNoTracking().Where(v => v.SchoolCode == school).OrderBy(v => v.Code).ToListAsync(ct);
        return TypedResults.Ok(venues.Select(ToResponse).ToList());
    }

    private static async Task<Results<Created<StationResponse>, ValidationProblem, ProblemHttpResult>> CreateStationAsync(
        Guid venueId, CreateStationRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var venue = await s.Db.Venues.FindAsync([venueId], ct);
        if (venue is null || !user.ActsFor(venue.SchoolCode))
        {
            return Problems.NotFound($"No venue {venueId} in your school.");
        }

        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 8 || !request.Code.All(char.IsAsciiLetterOrDigit))
        {
            return Problems.Invalid("code", "Give a short station code of letters and digits (at most 8), e.g. \"B2\": it prefixes shoot numbers (B2-0137).");
        }

        if (request.ThroughputPerHour is <= 0 or > 2000)
        {
            return Problems.Invalid("throughputPerHour", "Give how many students this station photographs per hour (1-2000); about 100 is usual for one camera.");
        }

        var code = request.Code.Trim().ToUpperInvariant();
        if (await s.Db.Stations.AnyAsync(x => x.VenueId == venueId && x.Code == code, ct))
        {
            return Problems.Conflict($"Station '{code}' exists already in this venue.", "duplicate");
        }

        var station = new Station { Id = Guid.NewGuid(), VenueId = venueId, Code = code, Name = request.Name?.Trim() ?? code, ThroughputPerHour = request.ThroughputPerHour };
        s.Db.Stations.Add(station);
        s.Db.AddIntegrationEvent(new StationOpened(station.Id, venueId, venue.SchoolCode, station.Code, station.Name, s.Time.GetUtcNow()));
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchedulingDbContext.RoutePrefix}/stations/{station.Id}", new StationResponse(station.Id, venueId, station.Code, station.Name, station.ThroughputPerHour));
    }

    public sealed record StationsAnnounced(int Stations);

    private static async Task<Ok<StationsAnnounced>> AnnounceStationsAsync(ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var school = user.IsOps() ? null : user.School();
        var stations = await (from station in s.Db.Stations.AsNoTracking()
                              join venue in s.Db.Venues.AsNoTracking() on station.VenueId equals venue.Id
                              where school == null || venue.SchoolCode == school
                              select new { station.Id, station.VenueId, venue.SchoolCode, station.Code, station.Name }).ToListAsync(ct);
        var now = s.Time.GetUtcNow();
        foreach (var station in stations)
        {
            s.Db.AddIntegrationEvent(new StationOpened(station.Id, station.VenueId, station.SchoolCode, station.Code, station.Name, now));
        }

        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Ok(new StationsAnnounced(stations.Count));
    }

    private static async Task<Results<Ok<List<StationResponse>>, ProblemHttpResult>> ListStationsAsync(
        Guid venueId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var venue = await s.Db.Venues.AsNoTracking().FirstOrDefaultAsync(v => v.Id == venueId, ct);
        if (venue is null || !(user.ActsFor(venue.SchoolCode) && !user.IsInRole(CaptureRoles.StationOperator) || user.RunsVenue(venueId)))
        {
            return Problems.NotFound($"No venue {venueId} in your scope.");
        }

        var list = await s.Db.Stations.AsNoTracking().Where(x => x.VenueId == venueId).OrderBy(x => x.Code)
            .Select(x => new StationResponse(x.Id, x.VenueId, x.Code, x.Name, x.ThroughputPerHour)).ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Created<CaptureDayResponse>, ValidationProblem, ProblemHttpResult>> CreateCaptureDayAsync(
        CreateCaptureDayRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var school = user.School()!;
        if (request.CampaignId is not { } campaignId || campaignId == Guid.Empty)
        {
            return Problems.Invalid("campaignId", "Give the campaign's id (from Registration).");
        }

        var campus = request.CampusId is { } campusId ? await s.Db.Campuses.FindAsync([campusId], ct) : null;
        if (campus is null || campus.SchoolCode != school)
        {
            return Problems.Invalid("campusId", "Give the id of a campus of your school.");
        }

        if (request.Date is not { } date)
        {
            return Problems.Invalid("date", "Give the capture day as an Asia/Shanghai date, e.g. \"2025-10-25\".");
        }

        // The campaign is the school's that created it in Registration; one Scheduling has not heard of is not claimed.
        var owner = await s.Db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.CampaignId == campaignId, ct);
        if (owner is null)
        {
            return Problems.Conflict(
                $"Campaign {campaignId} is not known to Scheduling (yet): create it in Registration first; it arrives here within seconds.",
                "campaign-unknown");
        }

        if (!user.MayActForSchool(owner.SchoolCode))
        {
            return Problems.NotFound($"No campaign {campaignId} in your school.");
        }

        var plan = await s.Db.Plans.FindAsync([campaignId], ct);
        if (plan is null)
        {
            s.Db.Plans.Add(new SessionPlan { CampaignId = campaignId, SchoolCode = school, Instructions = SessionPlan.DefaultInstructions });
        }
        else if (plan.SchoolCode != school)
        {
            return Problems.Forbidden($"Campaign {campaignId} belongs to another school.");
        }

        if (await s.Db.CaptureDays.AnyAsync(d => d.CampaignId == campaignId && d.CampusId == campus.Id && d.Date == date, ct))
        {
            return Problems.Conflict($"{date:yyyy-MM-dd} is a capture day of this campaign on {campus.Name} already.", "duplicate");
        }

        var day = new CaptureDay { Id = Guid.NewGuid(), CampaignId = campaignId, SchoolCode = school, CampusId = campus.Id, Date = date };
        s.Db.CaptureDays.Add(day);
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchedulingDbContext.RoutePrefix}/capture-days/{day.Id}", new CaptureDayResponse(day.Id, campaignId, campus.Id, date));
    }

    private static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> CreateSessionAsync(
        CreateSessionRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var school = user.School()!;
        var day = request.CaptureDayId is { } dayId ? await s.Db.CaptureDays.FindAsync([dayId], ct) : null;
        if (day is null || day.SchoolCode != school)
        {
            return Problems.Invalid("captureDayId", "Give the id of a capture day of your school (POST /api/scheduling/capture-days).");
        }

        var venue = request.VenueId is { } venueId ? await s.Db.Venues.FindAsync([venueId], ct) : null;
        if (venue is null || venue.SchoolCode != school)
        {
            return Problems.Invalid("venueId", "Give the id of a venue of your school.");
        }

        if (venue.CampusId != day.CampusId)
        {
            return Problems.Invalid("venueId", "The venue is on another campus than the capture day: pick a venue of the day's campus.");
        }

        if (request.Start is not { } start || request.End is not { } end || end <= start)
        {
            return Problems.Invalid("end", "Give start and end as Asia/Shanghai times (\"08:00\", \"09:00\"), end after start.");
        }

        var kind = (request.Kind ?? "regular").Trim().ToLowerInvariant();
        if (kind is not ("regular" or "makeup"))
        {
            return Problems.Invalid("kind", "Give \"regular\" or \"makeup\".");
        }

        if (kind == "makeup" && request.Capacity is not > 0)
        {
            return Problems.Invalid("capacity", "A makeup session needs its number of places (at least 1).");
        }

        if (request.Capacity is < 0)
        {
            return Problems.Invalid("capacity", "Give a capacity of 0 or more, or leave it out.");
        }

        var startsAt = ShanghaiTime.ToUtc(day.Date, start);
        var endsAt = ShanghaiTime.ToUtc(day.Date, end);
        if (await s.Db.Sessions.AnyAsync(x => x.VenueId == venue.Id && x.StartsAt < endsAt && startsAt < x.EndsAt, ct))
        {
            return Problems.Conflict("Another session at this venue overlaps this time window; a venue runs one session at a time.", "overlap");
        }

        var session = new Session
        {
            Id = Guid.NewGuid(),
            CampaignId = day.CampaignId,
            SchoolCode = school,
            CaptureDayId = day.Id,
            VenueId = venue.Id,
            Kind = kind == "makeup" ? SessionKind.Makeup : SessionKind.Regular,
            StartsAt = startsAt,
            EndsAt = endsAt,
            Capacity = request.Capacity,
        };
        s.Db.Sessions.Add(session);
        await s.Db.SaveChangesAsync(ct);
        var capacity = (await SessionCapacities.OfAsync(s.Db, [session], ct))[session.Id];
        return TypedResults.Created($"{SchedulingDbContext.RoutePrefix}/sessions/{session.Id}", session.ToResponse(capacity));
    }

    private static async Task<Results<Ok<List<SessionResponse>>, ProblemHttpResult>> ListSessionsAsync(
        Guid campaignId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var plan = await s.Db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.CampaignId == campaignId, ct);
        if (plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"Campaign {campaignId} has no capture days in your school.");
        }

        var sessions = await s.Db.Sessions.AsNoTracking().Where(x => x.CampaignId == campaignId).OrderBy(x => x.StartsAt).ToListAsync(ct);
        var capacities = await SessionCapacities.OfAsync(s.Db, sessions, ct);
        return TypedResults.Ok(sessions.Select(x => x.ToResponse(capacities[x.Id])).ToList());
    }

    private static VenueResponse ToResponse(Venue v) => new(v.Id, v.SchoolCode, v.CampusId, v.Code, v.Name, v.Building, v.Room);
}
