namespace Capture.Scheduling.Domain;

/// <summary>How many students a regular session can take: the venue's stations' throughput over the session's length.</summary>
public static class SessionCapacity
{
    public static int Of(DateTimeOffset startsAt, DateTimeOffset endsAt, IEnumerable<int> stationThroughputsPerHour)
    {
        var hours = (endsAt - startsAt).TotalHours;
        if (hours <= 0)
        {
            return 0;
        }

        return (int)Math.Floor(stationThroughputsPerHour.Sum() * hours);
    }
}
