using System.Security.Claims;
using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.CaptureIngest;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Apis;

/// <summary>Photos held for a person (待人工处理): listed with why, bound by hand to the right registration or discarded, every decision audited.</summary>
public static partial class HeldPhotosApi
{
    public static RouteGroupBuilder MapHeldPhotosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(CaptureIngestDbContext.RoutePrefix).WithTags("Held photos");
        group.MapGet("/held-photos", ListAsync).WithName("ListHeldPhotos")
            .WithSummary("Photos held for a person, oldest first, with the reason (ops: all; school admin: own school).")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapPost("/photos/{photoId:guid}/bind", BindAsync).WithName("BindHeldPhoto")
            .WithSummary("Binds a held (or waiting) photo to a registration checked in at the same school, with the reason; audited (who, when, old, new).")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapPost("/photos/{photoId:guid}/discard", DiscardAsync).WithName("DiscardPhoto")
            .WithSummary("Discards a photo that is nobody's final photo (a test shot, a stranger), with the reason; the file is kept.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        return group;
    }

    private static async Task<Results<Ok<List<PhotoView>>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var held = s.Db.Photos.AsNoTracking().Where(p => p.Status == PhotoStatus.Held);
        if (!user.IsOpsRole())
        {
            var school = user.School()!;
            held = held.Where(p => p.SchoolCode == school);
        }

        var rows = await held.OrderBy(p => p.HeldAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(p => PhotoView.From(p, accepted: false)).ToList());
    }

    private static async Task<Results<Ok<PhotoView>, ValidationProblem, ProblemHttpResult>> BindAsync(
        Guid photoId, BindHeldPhotoRequest request, ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > Limits.Reason || !Limits.IsCleanText(reason))
        {
            return Problems.Invalid("reason", $"Say why this is the right student (1-{Limits.Reason} characters, no control characters), e.g. \"sheet shows B2-0137 = 张三, shot at 09:14\".");
        }

        if (request.RegistrationId is not { } registrationId || registrationId == Guid.Empty)
        {
            return Problems.Invalid("registrationId", "Give the id of the registration the photo shows.");
        }

        var photo = await s.Db.Photos.FirstOrDefaultAsync(p => p.Id == photoId, ct);
        if (photo is null || !user.MayActForSchool(photo.SchoolCode))
        {
            return Problems.NotFound($"No photo {photoId} in your scope.");
        }

        if (photo.Status is not (PhotoStatus.Held or PhotoStatus.PendingBinding))
        {
            return Problems.Conflict($"Photo {photoId} is {PhotoView.Kebab(photo.Status.ToString())}: only a held or waiting photo is bound by hand.", "not-held");
        }

        var checkIn = await s.Db.CheckIns.AsNoTracking().Where(c => c.RegistrationId == registrationId).OrderByDescending(c => c.CheckedInAt).FirstOrDefaultAsync(ct);
        if (checkIn is null || !string.Equals(checkIn.SchoolCode, photo.SchoolCode, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid("registrationId", "No student with this registration was checked in at this photo's school: a photo is bound only to someone who came to capture.");
        }

        if (await s.Db.Withdrawals.AnyAsync(w => w.RegistrationId == registrationId, ct))
        {
            return Problems.Conflict($"Registration {registrationId} was withdrawn from the campaign: its photo cannot become final.", "withdrawn");
        }

        var now = s.Time.GetUtcNow();
        var actor = $"{user.FindFirst(CaptureClaims.Role)?.Value}:{user.Subject()}";
        var old = photo.RegistrationId;
        photo.Bind(registrationId, checkIn.CampaignId, now);
        s.Db.Decisions.Add(new PhotoDecision { Id = Guid.CreateVersion7(), PhotoId = photo.Id, Action = "bind", Actor = actor, Reason = reason, OldRegistrationId = old, NewRegistrationId = registrationId, At = now });
        s.Db.AddIntegrationEvent(new PhotoBound(photo.Id, registrationId, checkIn.CampaignId, photo.SchoolCode, photo.StationId.ToString(), photo.ShootNumber, "by-hand", now));
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Someone changed this photo at the same moment: read it again.", "changed");
        }

        LogBoundByHand(s.Loggers.CreateLogger("Capture.CaptureIngest.Held"), photo.Id, registrationId, actor);
        return TypedResults.Ok(PhotoView.From(photo, accepted: false));
    }

    private static async Task<Results<Ok<PhotoView>, ValidationProblem, ProblemHttpResult>> DiscardAsync(
        Guid photoId, DiscardPhotoRequest request, ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > Limits.Reason || !Limits.IsCleanText(reason))
        {
            return Problems.Invalid("reason", $"Say why the photo is discarded (1-{Limits.Reason} characters, no control characters).");
        }

        var photo = await s.Db.Photos.FirstOrDefaultAsync(p => p.Id == photoId, ct);
        if (photo is null || !user.MayActForSchool(photo.SchoolCode))
        {
            return Problems.NotFound($"No photo {photoId} in your scope.");
        }

        if (await s.Db.AcceptedPhotos.AnyAsync(a => a.PhotoId == photoId, ct))
        {
            return Problems.Conflict("This photo is a student's final photo: pick another shot for the student first.", "accepted");
        }

        var now = s.Time.GetUtcNow();
        var actor = $"{user.FindFirst(CaptureClaims.Role)?.Value}:{user.Subject()}";
        s.Db.Decisions.Add(new PhotoDecision { Id = Guid.CreateVersion7(), PhotoId = photo.Id, Action = "discard", Actor = actor, Reason = reason, OldRegistrationId = photo.RegistrationId, At = now });
        photo.Discard(now);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Someone changed this photo at the same moment: read it again.", "changed");
        }

        return TypedResults.Ok(PhotoView.From(photo, accepted: false));
    }

    [LoggerMessage(LogLevel.Warning, "Photo {PhotoId} bound by hand to registration {RegistrationId} by {Actor}")]
    private static partial void LogBoundByHand(ILogger logger, Guid photoId, Guid registrationId, string actor);
}
