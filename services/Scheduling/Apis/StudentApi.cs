using System.Security.Claims;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Apis;

/// <summary>A student's own session (000 §4.4), once the plan is published.</summary>
public static class StudentApi
{
    public static RouteGroupBuilder MapStudentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchedulingDbContext.RoutePrefix + "/me").WithTags("Students");
        group.MapGet("/session", GetMySessionAsync).WithName("GetMySession")
            .WithSummary("The caller's capture session: day, time, venue, campus, class time and what to bring. 404 until the plan is published.")
            .RequireRoles(CaptureRoles.Student);
        return group;
    }

    private static async Task<Results<Ok<MySessionResponse>, ProblemHttpResult>> GetMySessionAsync(
        Guid? campaignId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var registration = await StudentLookup.FindAsync(s.Db, user, campaignId, ct);
        if (registration is null)
        {
            return Problems.NotFound("You have no approved registration yet (your token's sub is your student number): ask your college secretary.");
        }

        var plan = await s.Db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.CampaignId == registration.CampaignId, ct);
        if (plan is null || !plan.IsPublished)
        {
            return Problems.NotFound("The capture schedule is not published yet; you will be notified when it is.");
        }

        var rows = await (from a in s.Db.Allocations.Include(a => a.ClassSlots)
                          join x in s.Db.Sessions on a.SessionId equals x.Id
                          join v in s.Db.Venues on x.VenueId equals v.Id
                          join c in s.Db.Campuses on v.CampusId equals c.Id
                          where a.CampaignId == registration.CampaignId && a.CollegeCode == registration.CollegeCode
                          orderby x.StartsAt
                          select new { a, x, v, c }).AsNoTracking().ToListAsync(ct);
        var slots = rows.Select(row =>
        {
            var cls = registration.ClassName is null ? null : row.a.ClassSlots.FirstOrDefault(k => k.ClassName == registration.ClassName);
            return new MySessionSlot(row.x.Id, ShanghaiTime.Today(row.x.StartsAt), PlanApi.Local(row.x.StartsAt), PlanApi.Local(row.x.EndsAt), row.x.StartsAt, row.x.EndsAt,
                row.v.Name, row.v.Building, row.v.Room, row.c.Name, cls is null ? null : PlanApi.Local(cls.StartsAt), cls is null ? null : PlanApi.Local(cls.EndsAt));
        }).ToList();
        var booking = await MakeupApi.MyBookingAsync(s.Db, registration, ct);
        return TypedResults.Ok(new MySessionResponse(registration.RegistrationId, registration.CampaignId, registration.StudentName, registration.CollegeName,
            registration.ClassName, plan.PublishedVersion, slots, plan.Instructions, booking));
    }
}
