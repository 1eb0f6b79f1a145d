using Capture.CaptureIngest.Domain;
using Capture.Contracts.CaptureIngest;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// Holds a photo for a person, the one way every path does it: the photo's state and reason, <see cref="PhotoHeld"/> in
/// the same transaction, and <c>capture.photos.held</c> counted under the hold's kind (<see cref="HoldKind"/>: a short,
/// fixed label; the reason is the sentence a person reads).
/// </summary>
public static class PhotoHolds
{
    public static void Hold(CaptureIngestDbContext db, CaptureMetrics metrics, Photo photo, string kind, string reason, DateTimeOffset now)
    {
        photo.Hold(reason, now);
        db.AddIntegrationEvent(new PhotoHeld(photo.Id, photo.SchoolCode, photo.StationId.ToString(), photo.ShootNumber, reason, now));
        metrics.Held(kind);
    }
}
