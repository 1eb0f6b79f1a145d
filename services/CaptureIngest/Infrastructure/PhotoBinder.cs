using Capture.CaptureIngest.Domain;
using Capture.Contracts.CaptureIngest;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// Applies <see cref="BindingRules"/> inside the caller's transaction. Every path that can bind (an upload, a
/// check-in event, a keyframe decoded) first takes a transaction-scoped advisory lock on the binding key (station,
/// day, shoot number), so an upload and its check-in committing at the same moment cannot both miss each other: the
/// second waits for the first and then sees its row.
/// </summary>
public static partial class PhotoBinder
{
    public static Task LockAsync(CaptureIngestDbContext db, Guid stationId, DateOnly day, string shootNumber, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({stationId.ToString("N") + "/" + day.ToString("yyyyMMdd") + "/" + shootNumber}, 7))", ct);

    /// <summary>Binds, holds or leaves waiting every photo of one key that is still waiting (or every undecided one when <paramref name="recheckBound"/>).</summary>
    public static async Task<int> ApplyAsync(CaptureIngestDbContext db, Guid stationId, DateOnly day, string shootNumber, DateTimeOffset now, bool recheckBound, CaptureMetrics metrics, CancellationToken ct)
    {
        var checkIn = await db.CheckIns.FirstOrDefaultAsync(c => c.StationId == stationId && c.Day == day && c.ShootNumber == shootNumber, ct);
        var photos = await db.Photos
            .Where(p => p.StationId == stationId && p.Day == day && p.ShootNumber == shootNumber
                && (p.Status == PhotoStatus.PendingBinding || (recheckBound && p.Status == PhotoStatus.Bound)))
            .ToListAsync(ct);
        if (photos.Count == 0)
        {
            return 0;
        }

        var withdrawn = checkIn is not null && await db.Withdrawals.AnyAsync(w => w.RegistrationId == checkIn.RegistrationId, ct);
        var keyframe = await db.Photos
            .Where(p => p.StationId == stationId && p.Day == day && p.ShootNumber == shootNumber && p.IsKeyframe && p.KeyframeRegistrationId != null)
            .Select(p => p.KeyframeRegistrationId)
            .FirstOrDefaultAsync(ct);
        var decision = BindingRules.Decide(checkIn, withdrawn, keyframe);
        var changed = 0;
        foreach (var photo in photos)
        {
            switch (decision)
            {
                case BindingDecision.Bind bind when photo.Status == PhotoStatus.PendingBinding:
                    photo.Bind(bind.RegistrationId, bind.CampaignId, now);
                    db.AddIntegrationEvent(new PhotoBound(photo.Id, bind.RegistrationId, bind.CampaignId, photo.SchoolCode, photo.StationId.ToString(), photo.ShootNumber, "shoot-number", now));
                    changed++;
                    break;
                case BindingDecision.Hold hold:
                    PhotoHolds.Hold(db, metrics, photo, hold.Kind, hold.Reason, now);
                    changed++;
                    break;
            }
        }

        return changed;
    }
}
