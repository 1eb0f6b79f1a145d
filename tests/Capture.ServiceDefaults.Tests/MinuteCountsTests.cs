using Capture.ServiceDefaults.Time;

namespace Capture.ServiceDefaults.Tests;

public sealed class MinuteCountsTests
{
    private static readonly DateTimeOffset Now = new(2030, 12, 18, 2, 30, 40, TimeSpan.Zero);

    [Fact]
    public void Sixty_minutes_oldest_first_ending_with_the_current_one_with_zeros_for_quiet_minutes()
    {
        var counts = MinuteCounts.Last([], Now);

        Assert.Equal(60, counts.Count);
        Assert.Equal(new DateTimeOffset(2030, 12, 18, 2, 30, 0, TimeSpan.Zero), counts[^1].Minute);
        Assert.Equal(new DateTimeOffset(2030, 12, 18, 1, 31, 0, TimeSpan.Zero), counts[0].Minute);
        Assert.All(counts, c => Assert.Equal(0, c.Count));
    }

    [Fact]
    public void Each_time_counts_in_its_own_minute_and_times_outside_the_hour_are_left_out()
    {
        DateTimeOffset[] times =
        [
            Now, Now.AddSeconds(-40), // both in 02:30
            Now.AddSeconds(-41),      // 02:29:59
            new(2030, 12, 18, 10, 0, 5, TimeSpan.FromHours(8)), // 02:00:05 UTC given in Beijing time
            Now.AddMinutes(-60),      // 01:30:40: before the first bucket (01:31)
            Now.AddMinutes(1),        // the future
        ];

        var counts = MinuteCounts.Last(times, Now).ToDictionary(c => c.Minute.UtcDateTime.ToString("HH:mm"), c => c.Count);

        Assert.Equal(2, counts["02:30"]);
        Assert.Equal(1, counts["02:29"]);
        Assert.Equal(1, counts["02:00"]);
        Assert.Equal(4, counts.Values.Sum());
    }
}
