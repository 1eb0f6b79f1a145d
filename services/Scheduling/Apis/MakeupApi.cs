using System.Security.Claims;
using Capture.Contracts.Scheduling;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Apis;

/// <summary>
/// Makeup (补拍) booking: eligible students (absent when their session closed, or granted a re-capture) book a place
/// themselves, first come first served. A place is taken by one conditional UPDATE (<c>booked &lt; capacity</c>) in
/// the booking's transaction and a CHECK constraint backs it, so concurrent bookings never overbook.
/// </summary>
public static class MakeupApi
{
    public static RouteGroupBuilder MapMakeupApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchedulingDbContext.RoutePrefix).WithTags("Makeup");
        group.MapGet("/me/makeup", GetMineAsync).WithName("GetMyMakeup")
            .WithSummary("Whether the caller may book a makeup capture, their booking, and the makeup sessions with places left.")
            .RequireRoles(CaptureRoles.Student);
        group.MapPost("/makeup-sessions/{sessionId:guid}/bookings", BookAsync).WithName("BookMakeup")
            .WithSummary("Books a place in a makeup session for the caller: 201, or 409 when full, already booked or not eligible.")
            .RequireRoles(CaptureRoles.Student);
        group.MapDelete("/makeup-bookings/{bookingId:guid}", CancelAsync).WithName("CancelMakeupBooking")
            .WithSummary("Cancels a makeup booking and frees its place.")
            .RequireRoles(CaptureRoles.Student, CaptureRoles.SchoolAdmin);
        group.MapPost("/campaigns/{campaignId:guid}/makeup-eligibility", GrantAsync).WithName("GrantMakeup")
            .WithSummary("Lets a registration book a makeup capture (a re-capture after a failed photo, say).")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        return group;
    }

    public static async Task<MyBooking?> MyBookingAsync(SchedulingDbContext db, ApprovedRegistration registration, CancellationToken ct)
    {
        var row = await (from b in db.MakeupBookings
                         join x in db.Sessions on b.MakeupSessionId equals x.Id
                         join v in db.Venues on x.VenueId equals v.Id
                         where b.RegistrationId == registration.RegistrationId && b.CampaignId == registration.CampaignId && b.CancelledAt == null
                         select new { b, x, v }).AsNoTracking().FirstOrDefaultAsync(ct);
        return row is null ? null : new MyBooking(row.b.Id, row.x.Id, ShanghaiTime.Today(row.x.StartsAt), PlanApi.Local(row.x.StartsAt), PlanApi.Local(row.x.EndsAt), row.v.Name);
    }

    private static async Task<Results<Ok<MyMakeupResponse>, ProblemHttpResult>> GetMineAsync(
        Guid? campaignId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var registration = await StudentLookup.FindAsync(s.Db, user, campaignId, ct);
        if (registration is null)
        {
            return Problems.NotFound("You have no approved registration (your token's sub is your student number).");
        }

        var eligibility = await s.Db.MakeupEligibilities.AsNoTracking().FirstOrDefaultAsync(e => e.RegistrationId == registration.RegistrationId && e.CampaignId == registration.CampaignId, ct);
        var now = s.Time.GetUtcNow();
        var offers = await (from x in s.Db.Sessions
                            join v in s.Db.Venues on x.VenueId equals v.Id
                            where x.CampaignId == registration.CampaignId && x.Kind == SessionKind.Makeup && x.ClosedAt == null && x.EndsAt > now
                            orderby x.StartsAt
                            select new { x, v }).AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(new MyMakeupResponse(
            eligibility is not null,
            eligibility?.Reason,
            await MyBookingAsync(s.Db, registration, ct),
            offers.Select(o => new MakeupOffer(o.x.Id, ShanghaiTime.Today(o.x.StartsAt), PlanApi.Local(o.x.StartsAt), PlanApi.Local(o.x.EndsAt), o.v.Name, o.x.Capacity ?? 0, Math.Max(0, (o.x.Capacity ?? 0) - o.x.Booked))).ToList()));
    }

    private static async Task<Results<Created<MyBooking>, ProblemHttpResult>> BookAsync(
        Guid sessionId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var session = await s.Db.Sessions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == sessionId && x.Kind == SessionKind.Makeup, ct);
        if (session is null)
        {
            return Problems.NotFound($"No makeup session {sessionId}.");
        }

        var registration = await StudentLookup.FindAsync(s.Db, user, session.CampaignId, ct);
        if (registration is null)
        {
            return Problems.NotFound("You have no approved registration in this session's campaign.");
        }

        if (!await s.Db.MakeupEligibilities.AnyAsync(e => e.RegistrationId == registration.RegistrationId && e.CampaignId == session.CampaignId, ct))
        {
            return Problems.Conflict("You may book a makeup capture once you missed your session (it closed without you) or your school granted a re-capture.", "not-eligible");
        }

        var now = s.Time.GetUtcNow();
        if (session.ClosedAt is not null || session.EndsAt <= now)
        {
            return Problems.Conflict("This makeup session is over or closed; pick another one.", "closed");
        }

        var booking = new MakeupBooking { Id = Guid.NewGuid(), MakeupSessionId = sessionId, RegistrationId = registration.RegistrationId, CampaignId = session.CampaignId, BookedAt = now };
        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        var taken = await s.Db.Sessions
            .Where(x => x.Id == sessionId && x.ClosedAt == null && x.Capacity != null && x.Booked < x.Capacity)
            .ExecuteUpdateAsync(set => set.SetProperty(x => x.Booked, x => x.Booked + 1), ct);
        if (taken == 0)
        {
            return Problems.Conflict("This makeup session is full; pick another one.", "full");
        }

        s.Db.MakeupBookings.Add(booking);
        s.Db.AddIntegrationEvent(new MakeupBooked(booking.Id, booking.RegistrationId, booking.CampaignId, sessionId, now));
        try
        {
            await s.Db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Conflict("You have a makeup booking in this campaign already; cancel it first to change.", "already-booked");
        }

        var venue = await s.Db.Venues.AsNoTracking().FirstAsync(v => v.Id == session.VenueId, ct);
        var result = new MyBooking(booking.Id, sessionId, ShanghaiTime.Today(session.StartsAt), PlanApi.Local(session.StartsAt), PlanApi.Local(session.EndsAt), venue.Name);
        return TypedResults.Created($"{SchedulingDbContext.RoutePrefix}/makeup-bookings/{booking.Id}", result);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CancelAsync(
        Guid bookingId, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var booking = await s.Db.MakeupBookings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bookingId, ct);
        var registration = booking is null ? null : await s.Db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.RegistrationId == booking.RegistrationId, ct);
        var mine = registration is not null && (user.IsInRole(CaptureRoles.Student)
            ? registration.SchoolCode == user.School() && registration.StudentNumber == user.Subject()
            : user.ActsFor(registration.SchoolCode));
        if (booking is null || !mine)
        {
            return Problems.NotFound($"No makeup booking {bookingId} of yours.");
        }

        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        var cancelled = await s.Db.MakeupBookings.Where(b => b.Id == bookingId && b.CancelledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.CancelledAt, s.Time.GetUtcNow()), ct);
        if (cancelled == 1)
        {
            await s.Db.Sessions.Where(x => x.Id == booking.MakeupSessionId && x.Booked > 0)
                .ExecuteUpdateAsync(set => set.SetProperty(x => x.Booked, x => x.Booked - 1), ct);
        }

        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> GrantAsync(
        Guid campaignId, GrantMakeupRequest request, ClaimsPrincipal user, [AsParameters] SchedulingServices s, CancellationToken ct)
    {
        var registration = request.RegistrationId is { } id
            ? await s.Db.Registrations.AsNoTracking().Active().FirstOrDefaultAsync(r => r.RegistrationId == id && r.CampaignId == campaignId, ct)
            : null;
        if (registration is null || !user.ActsFor(registration.SchoolCode))
        {
            return Problems.Invalid("registrationId", "Give the id of an approved registration of this campaign in your school.");
        }

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? MakeupEligibility.Recapture : request.Reason.Trim();
        if (reason.Length > 32)
        {
            return Problems.Invalid("reason", "Keep the reason short (at most 32 characters), e.g. \"recapture\".");
        }

        await s.Db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO scheduling.makeup_eligibilities (registration_id, campaign_id, reason, session_id, granted_at) VALUES ({registration.RegistrationId}, {campaignId}, {reason}, NULL, {s.Time.GetUtcNow()}) ON CONFLICT DO NOTHING",
            ct);
        return TypedResults.NoContent();
    }
}
