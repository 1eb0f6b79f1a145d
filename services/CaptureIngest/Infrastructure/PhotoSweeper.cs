using Capture.CaptureIngest.Domain;
using Capture.Contracts.CaptureIngest;
using Capture.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// Every few seconds: holds photos whose shoot number never got a check-in (a person binds them), and accepts the
/// best passing shot of a student nobody picked for a while. One instance sweeps at a time (an advisory lock), so
/// several API instances never hold or accept twice. Nothing is ever deleted.
/// </summary>
public sealed partial class PhotoSweeper(IServiceScopeFactory scopes, IOptions<CaptureOptions> options, TimeProvider time, ILogger<PhotoSweeper> logger) : BackgroundService
{
    private const long SweepLock = 0x5_4EE9_C0DE;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync("Photo sweep", SweepOnceAsync, Periodic.Every(() => options.Value.SweepInterval, time), logger, stoppingToken);

    public async Task<(int Held, int Accepted)> SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaptureIngestDbContext>();
        var metrics = scope.ServiceProvider.GetRequiredService<CaptureMetrics>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({SweepLock}) AS \"Value\"").SingleAsync(ct);
        if (!locked)
        {
            return (0, 0);
        }

        var now = time.GetUtcNow();
        var o = options.Value;
        var holdBefore = now - o.HoldPendingAfter;
        var stale = await db.Photos.Where(p => p.Status == PhotoStatus.PendingBinding && p.UploadedAt < holdBefore).OrderBy(p => p.UploadedAt).Take(200).ToListAsync(ct);
        foreach (var photo in stale)
        {
            var reason = BindingRules.NeverCheckedIn(photo.ShootNumber, o.HoldPendingAfter);
            PhotoHolds.Hold(db, metrics, photo, HoldKind.NeverCheckedIn, reason, now);
        }

        var quietSince = now - o.AutoAcceptAfter;
        var candidates = await db.Photos
            .Where(p => p.Status == PhotoStatus.Bound && p.Verdict == Verdict.Passed && p.VerdictAt < quietSince
                && !db.AcceptedPhotos.Any(a => a.RegistrationId == p.RegistrationId))
            .Select(p => p.RegistrationId!.Value)
            .Distinct()
            .Take(200)
            .ToListAsync(ct);
        var accepted = 0;
        foreach (var registrationId in candidates)
        {
            var shots = await db.Photos.Where(p => p.RegistrationId == registrationId && p.Status != PhotoStatus.Discarded).ToListAsync(ct);
            // Wait while a shot of this student is still being judged or a newer one came in recently.
            if (shots.Any(p => p.Verdict == Verdict.Pending || p.UploadedAt > quietSince))
            {
                continue;
            }

            if (PhotoAcceptance.Best(shots) is { } best && await PhotoAcceptance.AcceptAsync(db, best, "system:auto-accept", "best passing shot, none picked", now, ct))
            {
                accepted++;
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (stale.Count > 0 || accepted > 0)
        {
            LogSwept(logger, stale.Count, accepted);
        }

        return (stale.Count, accepted);
    }


    [LoggerMessage(LogLevel.Information, "Photo sweep: {Held} photos held (no check-in), {Accepted} students' best shots accepted")]
    private static partial void LogSwept(ILogger logger, int held, int accepted);
}
