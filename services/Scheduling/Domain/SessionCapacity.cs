namespace Capture.Scheduling.Domain;

/// <summary>
/// How many students a regular session can take: the venue's stations' throughput over the session's length, at most
/// <see cref="SessionLimits.MaxCapacity"/> (summed in 64 bits, so many stations cannot overflow it).
/// </summary>
public static class SessionCapacity
{
    public static int Of(DateTimeOffset startsAt, DateTimeOffset endsAt, IEnumerable<int> stationThroughputsPerHour)
    {
        var hours = (endsAt - startsAt).TotalHours;
        if (hours <= 0)
        {
            return 0;
        }

        var perHour = stationThroughputsPerHour.Sum(t => (long)Math.Max(0, t));
        return (int)Math.Min(SessionLimits.MaxCapacity, Math.Floor(perHour * hours));
    }
}
