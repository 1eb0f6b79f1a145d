namespace Capture.ServiceDefaults.Time;

/// <summary>How many things happened in one whole minute (UTC minute start).</summary>
public sealed record MinuteCount(DateTimeOffset Minute, int Count);

/// <summary>Per-minute counts for the ops dashboard's charts (check-ins, photos).</summary>
public static class MinuteCounts
{
    /// <summary>Counts in each of the last <paramref name="minutes"/> whole minutes up to and including the current one, oldest first, zeros included (a chart needs the gaps).</summary>
    public static IReadOnlyList<MinuteCount> Last(IEnumerable<DateTimeOffset> times, DateTimeOffset now, int minutes = 60)
    {
        var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var buckets = new int[minutes];
        foreach (var t in times)
        {
            var index = minutes - 1 + (int)Math.Floor((t.UtcDateTime - end.UtcDateTime).TotalMinutes);
            if (index >= 0 && index < minutes)
            {
                buckets[index]++;
            }
        }

        return [.. buckets.Select((count, i) => new MinuteCount(end.AddMinutes(i - (minutes - 1)), count))];
    }
}
