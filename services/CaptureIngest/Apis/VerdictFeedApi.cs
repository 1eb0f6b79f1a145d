using System.Security.Claims;
using System.Text.Json;
using Capture.CaptureIngest.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Apis;

/// <summary>
/// A station's live feed (Server-Sent Events): one <c>photo</c> event each time one of its photos is stored, bound,
/// held or judged, with the verdict and its reasons, so the photographer retakes while the student is still seated.
/// </summary>
public static class VerdictFeedApi
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CommitOverlap = TimeSpan.FromSeconds(30);

    /// <summary>2020-01-01: no event id of this feed is older.</summary>
    private static readonly long MinLastEventTicks = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public static RouteGroupBuilder MapVerdictFeedApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(CaptureIngestDbContext.RoutePrefix).WithTags("Photos");
        group.MapGet("/stations/{stationId:guid}/feed", FeedAsync).WithName("StationPhotoFeed")
            .WithSummary("text/event-stream of the station's photos as they change (event 'photo', data = the photo with its verdict). Reconnect with Last-Event-ID to get what you missed.")
            .RequireRoles(CaptureRoles.StationOperator, CaptureRoles.SchoolAdmin, CaptureRoles.Ops)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task FeedAsync(
        Guid stationId, HttpContext http, ClaimsPrincipal user, VerdictNotifier notifier, IServiceScopeFactory scopes, TimeProvider time, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            await missing.ExecuteAsync(http);
            return;
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaptureIngestDbContext>();
            var station = await db.Stations.AsNoTracking().FirstOrDefaultAsync(x => x.StationId == stationId, ct);
            if (station is null || !user.MayView(station.SchoolCode, station.VenueId))
            {
                await Problems.NotFound($"No station {stationId} in your scope.").ExecuteAsync(http);
                return;
            }
        }

        // Where the client left off: the id of its last event (a time in ticks), read again with the overlap below so a
        // photo committed late by another instance is not missed; a value that is no such time is refused, not guessed.
        DateTimeOffset since;
        if (http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } last)
        {
            if (!long.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                || ticks < MinLastEventTicks || ticks > time.GetUtcNow().AddDays(1).UtcTicks)
            {
                await Problems.Invalid("Last-Event-ID", "Send the id of the last event this feed sent you, or no Last-Event-ID to start from now.").ExecuteAsync(http);
                return;
            }

            since = new DateTimeOffset(ticks, TimeSpan.Zero) - CommitOverlap;
        }
        else
        {
            since = time.GetUtcNow();
        }

        using var subscription = notifier.Subscribe(stationId);
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        // A first line at once: proxies (YARP, nginx) pass the headers on only with the first bytes of the body, and a
        // client must not wait for the first heartbeat to know it is connected. retry: how soon browsers reconnect.
        await http.Response.WriteAsync(": connected\nretry: 2000\n\n", ct);
        await http.Response.Body.FlushAsync(ct);

        // What changed since then: versions already sent on this connection are not sent again.
        var sent = new Dictionary<Guid, string>();
        var lastBeat = time.GetUtcNow();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<CaptureIngestDbContext>();
                    var changed = await db.Photos.AsNoTracking()
                        .Where(p => p.StationId == stationId && (p.UploadedAt >= since || p.VerdictAt >= since || p.HeldAt >= since || p.BoundAt >= since))
                        .OrderBy(p => p.UploadedAt)
                        .Take(500)
                        .ToListAsync(ct);
                    var ids = changed.Select(p => p.Id).ToList();
                    var accepted = await db.AcceptedPhotos.AsNoTracking().Where(a => ids.Contains(a.PhotoId)).Select(a => a.PhotoId).ToListAsync(ct);
                    foreach (var photo in changed)
                    {
                        var view = PhotoView.From(photo, accepted.Contains(photo.Id));
                        var state = $"{view.Status}/{view.Verdict}/{view.Accepted}";
                        if (sent.TryGetValue(photo.Id, out var before) && before == state)
                        {
                            continue;
                        }

                        sent[photo.Id] = state;
                        var stamp = new[] { photo.UploadedAt, photo.VerdictAt ?? default, photo.HeldAt ?? default, photo.BoundAt ?? default }.Max();
                        await http.Response.WriteAsync($"id: {stamp.UtcTicks}\nevent: photo\ndata: {JsonSerializer.Serialize(view, JsonSerializerOptions.Web)}\n\n", ct);
                    }

                    if (changed.Count > 0)
                    {
                        await http.Response.Body.FlushAsync(ct);

                        // Move the window on, with an overlap for commits from other instances that carry an earlier time.
                        var newest = changed.Max(p => new[] { p.UploadedAt, p.VerdictAt ?? default, p.HeldAt ?? default, p.BoundAt ?? default }.Max());
                        since = Max(since, newest - CommitOverlap);
                    }
                }

                var now = time.GetUtcNow();
                if (now - lastBeat >= Heartbeat)
                {
                    lastBeat = now;
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }

                // Wake on a notification (usually well under a second after the commit), or poll.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(Poll);
                try
                {
                    await subscription.Reader.WaitToReadAsync(wait.Token);
                    while (subscription.Reader.TryRead(out _))
                    {
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the station closed the feed
        }
    }
}
