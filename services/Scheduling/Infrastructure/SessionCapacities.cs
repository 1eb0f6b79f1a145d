using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Infrastructure;

/// <summary>Capacities of sessions: makeup sessions have their places; regular ones their venue's throughput over their length, capped by an explicit capacity.</summary>
public static class SessionCapacities
{
    public static async Task<Dictionary<Guid, int>> OfAsync(SchedulingDbContext db, IReadOnlyCollection<Session> sessions, CancellationToken ct)
    {
        var venueIds = sessions.Select(s => s.VenueId).Distinct().ToList();
        var throughputs = await db.Stations.AsNoTracking()
            .Where(s => venueIds.Contains(s.VenueId))
            .GroupBy(s => s.VenueId)
            .Select(g => new { VenueId = g.Key, Throughputs = g.Select(s => s.ThroughputPerHour).ToList() })
            .ToDictionaryAsync(x => x.VenueId, x => x.Throughputs, ct);
        return sessions.ToDictionary(s => s.Id, s => Of(s, throughputs.GetValueOrDefault(s.VenueId) ?? []));
    }

    public static int Of(Session session, IEnumerable<int> throughputs)
    {
        if (session.Kind == SessionKind.Makeup)
        {
            return session.Capacity ?? 0;
        }

        var byStations = SessionCapacity.Of(session.StartsAt, session.EndsAt, throughputs);
        return session.Capacity is { } cap ? Math.Min(cap, byStations) : byStations;
    }
}
