namespace Capture.Scheduling.Domain;

/// <summary>
/// Bounds on the numbers a plan is made of, so that no sum of capacities or headcounts can overflow: a session takes at
/// most <see cref="MaxCapacity"/> students (a venue with 50 stations at 2000 an hour over 16 hours would be 1.6 million;
/// no real one comes near 100,000).
/// </summary>
public static class SessionLimits
{
    public const int MaxCapacity = 100_000;
    public const int MaxThroughputPerHour = 2000;
    public const int MaxClassSlots = 500;
    public const string CapacityMessage = "Give a capacity from 0 to 100000, or leave it out.";
    public const string HeadcountMessage = "Give how many students of the college come to this session, from 1 to 100000.";
}
