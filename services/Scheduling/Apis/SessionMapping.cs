using Capture.Scheduling.Domain;

namespace Capture.Scheduling.Apis;

public static class SessionMapping
{
    public static SessionResponse ToResponse(this Session s, int capacity) => new(
        s.Id,
        s.CampaignId,
        s.CaptureDayId,
        s.VenueId,
        s.Kind == SessionKind.Makeup ? "makeup" : "regular",
        ShanghaiTime.Today(s.StartsAt),
        ShanghaiTime.ToLocal(s.StartsAt).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        ShanghaiTime.ToLocal(s.EndsAt).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        s.StartsAt,
        s.EndsAt,
        capacity,
        s.Booked,
        s.ClosedAt);
}
