using Capture.ServiceDefaults.Time;

namespace Capture.Verification.Domain;

/// <summary>When a student's verification closes and when they are reminded. Rules only: no clock, no I/O.</summary>
public static class VerificationWindow
{
    /// <summary>
    /// The end of the Beijing day <paramref name="days"/> days after <paramref name="openedAt"/>'s Beijing day:
    /// a photo accepted on 6 June with a 40-day window may be verified until 16 July 24:00 Beijing time.
    /// </summary>
    public static DateTimeOffset Deadline(DateTimeOffset openedAt, int days) =>
        ShanghaiTime.ToUtc(ShanghaiTime.Today(openedAt).AddDays(days + 1), TimeOnly.MinValue);

    /// <summary>
    /// The reminder due now, or null: the smallest point (days before the deadline) whose time has come, while the
    /// deadline has not passed. A point already sent is not due again; nor is a larger one once a smaller one is due
    /// (a worker that was down sends the nearest reminder only).
    /// </summary>
    public static int? DueReminder(DateTimeOffset deadline, DateTimeOffset now, IReadOnlyCollection<int> points, IReadOnlyCollection<int> sent)
    {
        if (now >= deadline)
        {
            return null;
        }

        int? due = null;
        foreach (var point in points.Where(p => p > 0).OrderBy(p => p))
        {
            if (deadline - TimeSpan.FromDays(point) <= now)
            {
                due = point;
                break;
            }
        }

        if (due is not { } d || sent.Any(s => s <= d))
        {
            return null;
        }

        return d;
    }
}
