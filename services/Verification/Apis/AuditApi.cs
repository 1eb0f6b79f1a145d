using System.Security.Claims;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Apis;

/// <summary>Who was handed a photo or an export of the school, and when (PIPL): newest first, a page at a time.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(VerificationDbContext.RoutePrefix).WithTags("Photo access audit").RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapGet("/photo-access", ListAsync).WithName("ListPhotoAccess")
            .WithSummary("Every photo URL and export download handed out (who, what, when, from where). Who may call: school-admin (own school), ops (all).");
        return group;
    }

    public sealed record AccessView(DateTimeOffset At, string Actor, string SchoolCode, string What, Guid? RegistrationId, Guid? PhotoId, Guid? BatchId, string? RemoteAddress);

    private static async Task<Results<Ok<List<AccessView>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid? registrationId, int? page, int? pageSize, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        if (page is < 1 or > 100_000)
        {
            return Problems.Invalid("page", "Pages start at 1 (at most 100000).");
        }

        if (pageSize is < 1 or > Domain.Limits.MaxPageSize)
        {
            return Problems.Invalid("pageSize", $"Give a page size from 1 to {Domain.Limits.MaxPageSize}.");
        }

        var query = s.Db.PhotoAccesses.AsNoTracking();
        if (!user.IsOpsRole())
        {
            var school = user.School()!.ToLowerInvariant();
            query = query.Where(a => a.SchoolCode.ToLower() == school);
        }

        if (registrationId is { } id)
        {
            query = query.Where(a => a.RegistrationId == id);
        }

        var size = pageSize ?? 100;
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(((page ?? 1) - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new AccessView(a.At.ToShanghai(), a.Actor, a.SchoolCode, a.What, a.RegistrationId, a.PhotoId, a.BatchId, a.RemoteAddress)).ToList());
    }
}
