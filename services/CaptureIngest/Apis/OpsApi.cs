using Capture.ServiceDefaults.Time;
using System.Security.Claims;
using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Apis;

/// <summary>Capture day at a glance for ops, the school and a venue's photographers: counts per station and the oldest waiting photo.</summary>
public static class OpsApi
{
    public sealed record StationCounts(
        Guid StationId,
        Guid VenueId,
        string SchoolCode,
        int Uploaded,
        int PendingBinding,
        int Held,
        int Standardising,
        int Passed,
        int Failed,
        int Rejected,
        int Accepted,
        IReadOnlyDictionary<string, int> FailedByMeasure,
        DateTimeOffset? OldestWaitingSince,
        DateTimeOffset? LastUploadAt = null,
        double? VerdictSecondsMedian = null,
        double? VerdictSecondsP95 = null);

    /// <summary>The day's stations; photos uploaded per minute over the last hour (oldest first, zeros included).</summary>
    public sealed record CaptureDaySummary(DateOnly Day, IReadOnlyList<StationCounts> Stations, double? OldestWaitingSeconds, IReadOnlyList<MinuteCount>? PhotosPerMinute = null);

    public static RouteGroupBuilder MapOpsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(CaptureIngestDbContext.RoutePrefix + "/ops").WithTags("Ops");
        group.MapGet("/stations", SummaryAsync).WithName("CaptureDaySummary")
            .WithSummary("Per station for a Beijing day (default today): uploaded, waiting for binding, held, being standardised, passed, failed by measure, accepted, oldest waiting photo. Ops: all (or ?venueId=); school admin: own school; station operator: own venue.")
            .RequireRoles(CaptureRoles.Ops, CaptureRoles.SchoolAdmin, CaptureRoles.StationOperator);
        return group;
    }

    private static async Task<Results<Ok<CaptureDaySummary>, ProblemHttpResult>> SummaryAsync(
        DateOnly? day, Guid? venueId, ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var now = s.Time.GetUtcNow();
        var date = day ?? ShanghaiTime.Today(now);
        var photos = s.Db.Photos.AsNoTracking().Where(p => p.Day == date);
        if (user.IsInRole(CaptureRoles.StationOperator))
        {
            var own = Guid.Parse(user.Venue()!);
            photos = photos.Where(p => p.VenueId == own);
        }
        else if (!user.IsOpsRole())
        {
            var school = user.School()!;
            photos = photos.Where(p => p.SchoolCode == school);
        }

        if (venueId is { } v)
        {
            photos = photos.Where(p => p.VenueId == v);
        }

        var rows = await photos
            .Select(p => new { p.StationId, p.VenueId, p.SchoolCode, p.Status, p.Verdict, p.FailedMeasures, p.UploadedAt, p.VerdictAt, Accepted = s.Db.AcceptedPhotos.Any(a => a.PhotoId == p.Id) })
            .ToListAsync(ct);
        var stations = rows.GroupBy(r => (r.StationId, r.VenueId, r.SchoolCode)).Select(g =>
        {
            var waiting = g.Where(r => r.Status == PhotoStatus.PendingBinding || r.Verdict == Verdict.Pending).Select(r => (DateTimeOffset?)r.UploadedAt).Min();
            // Upload to verdict, over the station's last 200 judged photos of the day: what the photographer waits.
            var latencies = g.Where(r => r.VerdictAt is not null).OrderByDescending(r => r.UploadedAt).Take(200)
                .Select(r => (r.VerdictAt!.Value - r.UploadedAt).TotalSeconds).Order().ToList();
            var failed = g.Where(r => r.Verdict == Verdict.Failed && r.FailedMeasures != null)
                .SelectMany(r => r.FailedMeasures!.Split(','))
                .GroupBy(m => m)
                .ToDictionary(m => m.Key, m => m.Count());
            return new StationCounts(
                g.Key.StationId, g.Key.VenueId, g.Key.SchoolCode, g.Count(),
                g.Count(r => r.Status == PhotoStatus.PendingBinding),
                g.Count(r => r.Status == PhotoStatus.Held),
                g.Count(r => r.Verdict == Verdict.Pending),
                g.Count(r => r.Verdict == Verdict.Passed),
                g.Count(r => r.Verdict == Verdict.Failed),
                g.Count(r => r.Verdict == Verdict.Rejected),
                g.Count(r => r.Accepted),
                failed,
                waiting,
                g.Max(r => r.UploadedAt),
                Percentile(latencies, 0.5),
                Percentile(latencies, 0.95));
        }).OrderBy(x => x.StationId).ToList();
        var oldest = stations.Select(x => x.OldestWaitingSince).Where(x => x is not null).Min();
        return TypedResults.Ok(new CaptureDaySummary(date, stations, oldest is null ? null : (now - oldest.Value).TotalSeconds, MinuteCounts.Last(rows.Select(r => r.UploadedAt), now)));
    }

    /// <summary>The value below which the given share of the sorted values lie (nearest rank), or null for none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double share) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)], 2);
}
