using System.Globalization;
using System.Security.Claims;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Apis;

/// <summary>The session plan: demand, the allocator's proposal, the admin's edits, class sub-allocation, publishing and pulling.</summary>
public static class PlanApi
{
    public static RouteGroupBuilder MapPlanApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchedulingDbContext.RoutePrefix).WithTags("Session plan");

        group.MapGet("/campaigns/{campaignId:guid}/demand", GetDemandAsync).WithName("GetDemand")
            .WithSummary("Approved, not withdrawn students per college and campus: what the plan must place.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff, CaptureRoles.Ops);
        group.MapPost("/campaigns/{campaignId:guid}/plan/proposal", ProposeAsync).WithName("ProposePlan")
            .WithSummary("Runs the allocator and replaces the draft's allocations with its proposal; reports what it could not place.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapGet("/campaigns/{campaignId:guid}/plan", GetPlanAsync).WithName("GetPlan")
            .WithSummary("The whole plan: sessions, colleges, headcounts, class times. The university system sees it once published; college staff see their college.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.IntegrationClient, CaptureRoles.CollegeStaff, CaptureRoles.Ops);
        group.MapPost("/campaigns/{campaignId:guid}/allocations", CreateAllocationAsync).WithName("CreateAllocation")
            .WithSummary("Allocates a college to a session with an expected headcount (never beyond the session's capacity).")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPut("/allocations/{allocationId:guid}", UpdateAllocationAsync).WithName("UpdateAllocation")
            .WithSummary("Moves an allocation to another session or changes its headcount.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapDelete("/allocations/{allocationId:guid}", DeleteAllocationAsync).WithName("DeleteAllocation")
            .WithSummary("Removes an allocation.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPut("/allocations/{allocationId:guid}/classes", SetClassesAsync).WithName("SetClassSlots")
            .WithSummary("Divides the college's window by class (二次分配): each class's time inside the session. Replaces earlier class times.")
            .RequireRoles(CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin);
        group.MapPost("/campaigns/{campaignId:guid}/plan/publish", PublishAsync).WithName("PublishPlan")
            .WithSummary("Publishes the plan (a new version each time) and emits SessionPlanPublished; students then see their session.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        return group;
    }

    private static async Task<Results<Ok<List<DemandResponse>>, ProblemHttpResult>> GetDemandAsync(
        Guid campaignId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var plan = await s.Db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.CampaignId == campaignId, ct);
        if (plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"Campaign {campaignId} has no capture days in your school.");
        }

        var demand = await DemandAsync(s.Db, campaignId, plan.SchoolCode, user.OwnCollege(), ct);
        return TypedResults.Ok(demand);
    }

    private static async Task<List<DemandResponse>> DemandAsync(SchedulingDbContext db, Guid campaignId, string school, string? college, CancellationToken ct)
    {
        var campuses = await db.Campuses.AsNoTracking().Where(c => c.SchoolCode == school).ToListAsync(ct);
        var rows = await db.Registrations.AsNoTracking().Active()
            .Where(r => r.CampaignId == campaignId && (college == null || r.CollegeCode == college))
            .GroupBy(r => new { r.CollegeCode, r.Campus })
            .Select(g => new { g.Key.CollegeCode, g.Key.Campus, Name = g.Max(r => r.CollegeName), Count = g.Count() })
            .ToListAsync(ct);
        return rows
            .Select(r => new DemandResponse(r.CollegeCode, r.Name ?? r.CollegeCode, CampusCode(campuses, r.Campus), r.Count))
            .GroupBy(d => (d.CollegeCode, d.Campus))
            .Select(g => g.First() with { Headcount = g.Sum(x => x.Headcount) })
            .OrderBy(d => d.CollegeCode, StringComparer.Ordinal).ThenBy(d => d.Campus, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A registration names its campus by code or name; planning uses the code. An unknown campus stays as given and is reported unplaced.</summary>
    private static string? CampusCode(List<Campus> campuses, string? campus) =>
        string.IsNullOrWhiteSpace(campus)
            ? null
            : campuses.FirstOrDefault(c => string.Equals(c.Code, campus.Trim(), StringComparison.OrdinalIgnoreCase) || c.Name == campus.Trim())?.Code ?? campus.Trim();

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> ProposeAsync(
        Guid campaignId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var plan = await s.Db.Plans.FirstOrDefaultAsync(p => p.CampaignId == campaignId, ct);
        if (plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"Campaign {campaignId} has no capture days in your school.");
        }

        if (plan.IsPublished)
        {
            return Problems.Conflict("The plan is published: a new proposal would move students who were told their session. Edit allocations one by one instead.", "published");
        }

        var sessions = await s.Db.Sessions.AsNoTracking().Where(x => x.CampaignId == campaignId && x.Kind == SessionKind.Regular && x.ClosedAt == null).ToListAsync(ct);
        var capacities = await SessionCapacities.OfAsync(s.Db, sessions, ct);
        var days = await s.Db.CaptureDays.AsNoTracking().Where(d => d.CampaignId == campaignId).ToDictionaryAsync(d => d.Id, ct);
        var campuses = await s.Db.Campuses.AsNoTracking().Where(c => c.SchoolCode == plan.SchoolCode).ToDictionaryAsync(c => c.Id, ct);
        var input = sessions.Select(x => new AllocatorSession(
            x.Id, campuses[days[x.CaptureDayId].CampusId].Code, x.VenueId, days[x.CaptureDayId].Date, x.StartsAt, capacities[x.Id])).ToList();
        var demand = await DemandAsync(s.Db, campaignId, plan.SchoolCode, null, ct);
        var result = Allocator.Propose(input, demand.Select(d => new AllocatorDemand(d.CollegeCode, d.Campus, d.Headcount)).ToList());

        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        await s.Db.Allocations.Where(a => a.CampaignId == campaignId).ExecuteDeleteAsync(ct);
        foreach (var p in result.Placements)
        {
            s.Db.Allocations.Add(new Allocation { Id = Guid.NewGuid(), CampaignId = campaignId, SessionId = p.SessionId, CollegeCode = p.CollegeCode, ExpectedHeadcount = p.Headcount, Part = p.Part });
        }

        PlanChanges.Touch(s.Db, plan, s.Time.GetUtcNow());
        if (await SaveAsync(s.Db, ct) is { } conflict)
        {
            return conflict;
        }

        await transaction.CommitAsync(ct);
        var unplaced = result.Unplaced.Select(u => new UnplacedResponse(u.CollegeCode, u.CampusCode, u.Headcount, u.Reason)).ToList();
        return TypedResults.Ok(await ReadPlanAsync(s.Db, plan, null, unplaced, ct));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> GetPlanAsync(
        Guid campaignId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var plan = await s.Db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.CampaignId == campaignId, ct);
        if (plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"Campaign {campaignId} has no plan in your school.");
        }

        if (user.IsInRole(CaptureRoles.IntegrationClient) && !plan.IsPublished)
        {
            return Problems.NotFound($"The plan of campaign {campaignId} is not published yet; SessionPlanPublished announces it.");
        }

        return TypedResults.Ok(await ReadPlanAsync(s.Db, plan, user.OwnCollege(), [], ct));
    }

    public static async Task<PlanResponse> ReadPlanAsync(SchedulingDbContext db, SessionPlan plan, string? college, IReadOnlyList<UnplacedResponse> unplaced, CancellationToken ct)
    {
        var sessions = await db.Sessions.AsNoTracking().Where(x => x.CampaignId == plan.CampaignId && x.Kind == SessionKind.Regular).OrderBy(x => x.StartsAt).ToListAsync(ct);
        var capacities = await SessionCapacities.OfAsync(db, sessions, ct);
        var allocations = await db.Allocations.AsNoTracking().Include(a => a.ClassSlots)
            .Where(a => a.CampaignId == plan.CampaignId && (college == null || a.CollegeCode == college)).ToListAsync(ct);
        var venueIds = sessions.Select(x => x.VenueId).Distinct().ToList();
        var venues = await db.Venues.AsNoTracking().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        var campuses = await db.Campuses.AsNoTracking().Where(c => c.SchoolCode == plan.SchoolCode).ToDictionaryAsync(c => c.Id, ct);
        var names = await CollegeNamesAsync(db, plan.CampaignId, ct);
        var bySession = allocations.ToLookup(a => a.SessionId);
        var result = sessions
            .Where(x => college == null || bySession[x.Id].Any())
            .Select(x =>
            {
                var venue = venues[x.VenueId];
                var list = bySession[x.Id].OrderBy(a => a.CollegeCode, StringComparer.Ordinal)
                    .Select(a => ToResponse(a, names.GetValueOrDefault(a.CollegeCode) ?? a.CollegeCode)).ToList();
                return new PlanSessionResponse(x.ToResponse(capacities[x.Id]), venue.Name, venue.Building, venue.Room,
                    campuses.TryGetValue(venue.CampusId, out var campus) ? campus.Name : string.Empty, list.Sum(a => a.ExpectedHeadcount), list);
            })
            .ToList();
        return new PlanResponse(plan.CampaignId, plan.SchoolCode, plan.IsPublished, plan.PublishedVersion, plan.PublishedAt, plan.Instructions, result, unplaced);
    }

    public static async Task<Dictionary<string, string>> CollegeNamesAsync(SchedulingDbContext db, Guid campaignId, CancellationToken ct) =>
        await db.Registrations.AsNoTracking().Where(r => r.CampaignId == campaignId && r.CollegeName != "")
            .GroupBy(r => r.CollegeCode).Select(g => new { g.Key, Name = g.Max(r => r.CollegeName) })
            .ToDictionaryAsync(x => x.Key, x => x.Name ?? x.Key, ct);

    public static AllocationResponse ToResponse(Allocation a, string collegeName) => new(
        a.Id, a.SessionId, a.CollegeCode, collegeName, a.ExpectedHeadcount, a.Part,
        a.ClassSlots.OrderBy(c => c.StartsAt).Select(c => new ClassSlotResponse(c.ClassName, Local(c.StartsAt), Local(c.EndsAt), c.StartsAt, c.EndsAt)).ToList());

    public static string Local(DateTimeOffset instant) => ShanghaiTime.ToLocal(instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static async Task<Results<Created<AllocationResponse>, ValidationProblem, ProblemHttpResult>> CreateAllocationAsync(
        Guid campaignId, CreateAllocationRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var plan = await s.Db.Plans.FirstOrDefaultAsync(p => p.CampaignId == campaignId, ct);
        if (plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"Campaign {campaignId} has no capture days in your school.");
        }

        if (string.IsNullOrWhiteSpace(request.CollegeCode))
        {
            return Problems.Invalid("collegeCode", "Give the college's code, as Registration uses it.");
        }

        var session = request.SessionId is { } id ? await s.Db.Sessions.FirstOrDefaultAsync(x => x.Id == id && x.CampaignId == campaignId && x.Kind == SessionKind.Regular, ct) : null;
        if (session is null)
        {
            return Problems.Invalid("sessionId", "Give the id of a regular session of this campaign (GET .../campaigns/{campaignId}/sessions).");
        }

        var college = request.CollegeCode.Trim();
        if (await s.Db.Allocations.AnyAsync(a => a.SessionId == session.Id && a.CollegeCode == college, ct))
        {
            return Problems.Conflict($"College {college} is in this session already: change that allocation's headcount instead.", "duplicate");
        }

        if (await CapacityProblemAsync(s.Db, session, request.ExpectedHeadcount, null, ct) is { } problem)
        {
            return problem;
        }

        var part = await s.Db.Allocations.CountAsync(a => a.CampaignId == campaignId && a.CollegeCode == college, ct) + 1;
        var allocation = new Allocation { Id = Guid.NewGuid(), CampaignId = campaignId, SessionId = session.Id, CollegeCode = college, ExpectedHeadcount = request.ExpectedHeadcount, Part = part };
        s.Db.Allocations.Add(allocation);
        PlanChanges.Touch(s.Db, plan, s.Time.GetUtcNow());
        if (await SaveAsync(s.Db, ct) is { } conflict)
        {
            return conflict;
        }

        var names = await CollegeNamesAsync(s.Db, campaignId, ct);
        return TypedResults.Created($"{SchedulingDbContext.RoutePrefix}/allocations/{allocation.Id}", ToResponse(allocation, names.GetValueOrDefault(college) ?? college));
    }

    private static async Task<ValidationProblem?> CapacityProblemAsync(SchedulingDbContext db, Session session, int headcount, Guid? except, CancellationToken ct)
    {
        if (headcount <= 0)
        {
            return Problems.Invalid("expectedHeadcount", "Give how many students of the college come to this session (at least 1).");
        }

        var capacity = (await SessionCapacities.OfAsync(db, [session], ct))[session.Id];
        // In 64 bits: a headcount near int.MaxValue must not wrap around below the capacity.
        var taken = await db.Allocations.Where(a => a.SessionId == session.Id && a.Id != except).SumAsync(a => (long)a.ExpectedHeadcount, ct);
        return taken + headcount > capacity
            ? Problems.Invalid("expectedHeadcount", $"The session takes {capacity} students and {taken} are allocated: give at most {Math.Max(0, capacity - taken)}, or choose another session.")
            : null;
    }

    private static async Task<ProblemHttpResult?> SaveAsync(SchedulingDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Someone changed this plan at the same time; reload it and try again.", "concurrent-change");
        }
    }

    private static async Task<Results<Ok<AllocationResponse>, ValidationProblem, ProblemHttpResult>> UpdateAllocationAsync(
        Guid allocationId, UpdateAllocationRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var allocation = await s.Db.Allocations.Include(a => a.ClassSlots).FirstOrDefaultAsync(a => a.Id == allocationId, ct);
        var plan = allocation is null ? null : await s.Db.Plans.FirstOrDefaultAsync(p => p.CampaignId == allocation.CampaignId, ct);
        if (allocation is null || plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"No allocation {allocationId} in your school.");
        }

        var sessionId = request.SessionId ?? allocation.SessionId;
        var session = await s.Db.Sessions.FirstOrDefaultAsync(x => x.Id == sessionId && x.CampaignId == allocation.CampaignId && x.Kind == SessionKind.Regular, ct);
        if (session is null)
        {
            return Problems.Invalid("sessionId", "Give the id of a regular session of the same campaign, or leave it out to keep the session.");
        }

        if (sessionId != allocation.SessionId && await s.Db.Allocations.AnyAsync(a => a.SessionId == sessionId && a.CollegeCode == allocation.CollegeCode, ct))
        {
            return Problems.Invalid("sessionId", $"College {allocation.CollegeCode} is in that session already: change that allocation instead.");
        }

        if (await CapacityProblemAsync(s.Db, session, request.ExpectedHeadcount, allocation.Id, ct) is { } problem)
        {
            return problem;
        }

        if (sessionId != allocation.SessionId)
        {
            // Class times belong to the old window.
            allocation.ClassSlots.Clear();
        }

        allocation.SessionId = sessionId;
        allocation.ExpectedHeadcount = request.ExpectedHeadcount;
        PlanChanges.Touch(s.Db, plan, s.Time.GetUtcNow());
        if (await SaveAsync(s.Db, ct) is { } conflict)
        {
            return conflict;
        }

        var names = await CollegeNamesAsync(s.Db, allocation.CampaignId, ct);
        return TypedResults.Ok(ToResponse(allocation, names.GetValueOrDefault(allocation.CollegeCode) ?? allocation.CollegeCode));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAllocationAsync(
        Guid allocationId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var allocation = await s.Db.Allocations.FirstOrDefaultAsync(a => a.Id == allocationId, ct);
        var plan = allocation is null ? null : await s.Db.Plans.FirstOrDefaultAsync(p => p.CampaignId == allocation.CampaignId, ct);
        if (allocation is null || plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"No allocation {allocationId} in your school.");
        }

        s.Db.Allocations.Remove(allocation);
        PlanChanges.Touch(s.Db, plan, s.Time.GetUtcNow());
        return await SaveAsync(s.Db, ct) is { } conflict ? conflict : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AllocationResponse>, ValidationProblem, ProblemHttpResult>> SetClassesAsync(
        Guid allocationId, List<ClassSlotRequest> request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var allocation = await s.Db.Allocations.Include(a => a.ClassSlots).FirstOrDefaultAsync(a => a.Id == allocationId, ct);
        var plan = allocation is null ? null : await s.Db.Plans.FirstOrDefaultAsync(p => p.CampaignId == allocation.CampaignId, ct);
        if (allocation is null || plan is null || !user.ActsFor(plan.SchoolCode)
            || (user.OwnCollege() is { } own && !string.Equals(own, allocation.CollegeCode, StringComparison.OrdinalIgnoreCase)))
        {
            return Problems.NotFound($"No allocation {allocationId} of your college.");
        }

        if (request.Count > SessionLimits.MaxClassSlots)
        {
            return Problems.Invalid("body", $"Give at most {SessionLimits.MaxClassSlots} classes for one allocation.");
        }

        var session = await s.Db.Sessions.FirstAsync(x => x.Id == allocation.SessionId, ct);
        var day = ShanghaiTime.Today(session.StartsAt);
        var slots = new List<ClassSlot>();
        for (var i = 0; i < request.Count; i++)
        {
            var r = request[i];
            if (string.IsNullOrWhiteSpace(r.ClassName))
            {
                return Problems.Invalid($"request[{i}].className", "Give the class name as in the registrations (e.g. \"计算机2101\").");
            }

            if (r.Start is not { } start || r.End is not { } end || end <= start)
            {
                return Problems.Invalid($"request[{i}].end", "Give start and end (\"08:15\", \"08:45\"), end after start.");
            }

            var slot = new ClassSlot { Id = Guid.NewGuid(), AllocationId = allocation.Id, ClassName = r.ClassName.Trim(), StartsAt = ShanghaiTime.ToUtc(day, start), EndsAt = ShanghaiTime.ToUtc(day, end) };
            if (slot.StartsAt < session.StartsAt || slot.EndsAt > session.EndsAt)
            {
                return Problems.Invalid($"request[{i}].start", $"Class times must lie inside the college's window {Local(session.StartsAt)}-{Local(session.EndsAt)}.");
            }

            if (slots.Any(o => o.ClassName == slot.ClassName))
            {
                return Problems.Invalid($"request[{i}].className", $"Class {slot.ClassName} is listed twice.");
            }

            if (slots.Any(o => o.StartsAt < slot.EndsAt && slot.StartsAt < o.EndsAt))
            {
                return Problems.Invalid($"request[{i}].start", $"Class {slot.ClassName}'s time overlaps another class's: give each class its own part of the window.");
            }

            slots.Add(slot);
        }

        s.Db.ClassSlots.RemoveRange(allocation.ClassSlots);
        allocation.ClassSlots.Clear();
        s.Db.ClassSlots.AddRange(slots);
        PlanChanges.Touch(s.Db, plan, s.Time.GetUtcNow());
        if (await SaveAsync(s.Db, ct) is { } conflict)
        {
            return conflict;
        }

        allocation.ClassSlots = slots;
        var names = await CollegeNamesAsync(s.Db, allocation.CampaignId, ct);
        return TypedResults.Ok(ToResponse(allocation, names.GetValueOrDefault(allocation.CollegeCode) ?? allocation.CollegeCode));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> PublishAsync(
        Guid campaignId, PublishPlanRequest? request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var plan = await s.Db.Plans.FirstOrDefaultAsync(p => p.CampaignId == campaignId, ct);
        if (plan is null || !user.ActsFor(plan.SchoolCode))
        {
            return Problems.NotFound($"Campaign {campaignId} has no plan in your school.");
        }

        if (!await s.Db.Allocations.AnyAsync(a => a.CampaignId == campaignId, ct))
        {
            return Problems.Conflict("The plan allocates no college yet: propose or add allocations first.", "empty");
        }

        PlanChanges.Publish(s.Db, plan, s.Time.GetUtcNow(), request?.Instructions);
        if (await SaveAsync(s.Db, ct) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Ok(await ReadPlanAsync(s.Db, plan, null, [], ct));
    }
}
