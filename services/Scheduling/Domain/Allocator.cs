namespace Capture.Scheduling.Domain;

/// <summary>A session the allocator may fill: its campus, venue, day, start and how many students it can take.</summary>
public sealed record AllocatorSession(Guid SessionId, string CampusCode, Guid VenueId, DateOnly Day, DateTimeOffset StartsAt, int Capacity);

/// <summary>How many approved students a college has on a campus. A null campus means "any campus".</summary>
public sealed record AllocatorDemand(string CollegeCode, string? CampusCode, int Headcount);

/// <summary>Part of a college's students placed in one session. A split college has several, numbered by <see cref="Part"/>.</summary>
public sealed record AllocatorPlacement(Guid SessionId, string CollegeCode, int Headcount, int Part);

/// <summary>Students the allocator could not place, and why.</summary>
public sealed record AllocatorShortfall(string CollegeCode, string? CampusCode, int Headcount, string Reason);

public sealed record AllocatorResult(IReadOnlyList<AllocatorPlacement> Placements, IReadOnlyList<AllocatorShortfall> Unplaced);

/// <summary>
/// Proposes a session plan (排期). Rules, in order:
/// <list type="number">
/// <item>A session never takes more students than its capacity.</item>
/// <item>Colleges bound to a campus are placed before those free to go anywhere; within each, largest first; a college goes whole into the session that fits it most tightly
/// (best fit, earliest on ties), so it is kept together and large gaps stay free for large colleges.</item>
/// <item>A college that fits in no single session is split across consecutive sessions of one venue on one day
/// (the shortest such run that holds it, earliest on ties), filling each in turn.</item>
/// <item>If no run holds it, the longest-capacity run takes what it can and the rest is reported as unplaced,
/// as is a college whose campus has no sessions at all.</item>
/// </list>
/// Students with no campus may go to any campus. The allocator has no I/O and is deterministic.
/// </summary>
public static class Allocator
{
    public static AllocatorResult Propose(IReadOnlyList<AllocatorSession> sessions, IReadOnlyList<AllocatorDemand> demands)
    {
        var remaining = sessions.ToDictionary(s => s.SessionId, s => Math.Max(0, s.Capacity));
        var placements = new List<AllocatorPlacement>();
        var unplaced = new List<AllocatorShortfall>();

        var ordered = demands
            .Where(d => d.Headcount > 0)
            .OrderBy(d => d.CampusCode is null ? 1 : 0)
            .ThenByDescending(d => d.Headcount)
            .ThenBy(d => d.CollegeCode, StringComparer.Ordinal)
            .ThenBy(d => d.CampusCode, StringComparer.Ordinal);

        foreach (var demand in ordered)
        {
            var candidates = sessions
                .Where(s => demand.CampusCode is null || string.Equals(s.CampusCode, demand.CampusCode, StringComparison.OrdinalIgnoreCase))
                .OrderBy(s => s.StartsAt)
                .ThenBy(s => s.SessionId)
                .ToList();
            if (candidates.Count == 0)
            {
                unplaced.Add(new AllocatorShortfall(demand.CollegeCode, demand.CampusCode, demand.Headcount,
                    demand.CampusCode is null ? "There are no sessions." : $"Campus '{demand.CampusCode}' has no sessions."));
                continue;
            }

            var whole = candidates
                .Where(s => remaining[s.SessionId] >= demand.Headcount)
                .OrderBy(s => remaining[s.SessionId])
                .ThenBy(s => s.StartsAt)
                .FirstOrDefault();
            if (whole is not null)
            {
                remaining[whole.SessionId] -= demand.Headcount;
                placements.Add(new AllocatorPlacement(whole.SessionId, demand.CollegeCode, demand.Headcount, 1));
                continue;
            }

            var run = BestRun(candidates, remaining, demand.Headcount);
            var left = demand.Headcount;
            var part = 0;
            foreach (var session in run)
            {
                var take = Math.Min(left, remaining[session.SessionId]);
                if (take <= 0)
                {
                    continue;
                }

                remaining[session.SessionId] -= take;
                left -= take;
                placements.Add(new AllocatorPlacement(session.SessionId, demand.CollegeCode, take, ++part));
            }

            if (left > 0)
            {
                unplaced.Add(new AllocatorShortfall(demand.CollegeCode, demand.CampusCode, left,
                    $"Not enough free capacity in consecutive sessions: {left} of {demand.Headcount} students have no place. Add sessions or stations."));
            }
        }

        return new AllocatorResult(placements, unplaced);
    }

    /// <summary>The shortest run of consecutive sessions (one venue, one day) whose free places hold the whole college; failing that, the run with the most free places.</summary>
    private static List<AllocatorSession> BestRun(List<AllocatorSession> candidates, Dictionary<Guid, int> remaining, int headcount)
    {
        List<AllocatorSession>? best = null;
        var bestFits = false;
        var bestFree = -1;
        foreach (var group in candidates.GroupBy(s => (s.VenueId, s.Day)))
        {
            var line = group.OrderBy(s => s.StartsAt).ToList();
            for (var start = 0; start < line.Count; start++)
            {
                var free = 0;
                for (var end = start; end < line.Count; end++)
                {
                    free += remaining[line[end].SessionId];
                    var fits = free >= headcount;
                    var length = end - start + 1;
                    var better = best is null
                        || (fits && !bestFits)
                        || (fits && bestFits && (length < best.Count || (length == best.Count && line[start].StartsAt < best[0].StartsAt)))
                        || (!fits && !bestFits && free > bestFree);
                    if (better)
                    {
                        best = line.GetRange(start, length);
                        bestFits = fits;
                        bestFree = free;
                    }

                    if (fits)
                    {
                        break;
                    }
                }
            }
        }

        return best ?? [];
    }
}
