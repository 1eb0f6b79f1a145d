using System.Security.Claims;
using Capture.ServiceDefaults.Http;
using Capture.Verification.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Capture.Verification.Apis;

/// <summary>Hands out a short-lived URL to a task's standardised photo and records who got it (the audit).</summary>
public static class PhotoLinks
{
    public const string Bucket = "photos-standardized";

    public static async Task<Results<Ok<PresignedUrl>, ProblemHttpResult>> IssueAsync(
        VerificationTask task, ClaimsPrincipal user, HttpContext http, VerificationServices s, CancellationToken ct)
    {
        if (task.PhotoKey is null)
        {
            return Problems.NotFound("No photo has been accepted for this registration yet.");
        }

        var now = s.Time.GetUtcNow();
        var lifetime = s.Options.Value.PresignedUrlLifetime;
        var url = await s.Storage.PresignGetAsync(Bucket, task.PhotoKey, lifetime);
        s.Db.PhotoAccesses.Add(new PhotoAccess
        {
            At = now, Actor = user.Actor(), SchoolCode = task.SchoolCode, What = "photo", RegistrationId = task.RegistrationId,
            PhotoId = task.PhotoId, RemoteAddress = http.RemoteAddress(),
        });
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PresignedUrl(url, (now + lifetime).ToOffset(TimeSpan.FromHours(8))));
    }
}
