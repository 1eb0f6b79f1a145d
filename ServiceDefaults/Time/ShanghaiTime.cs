namespace Capture.ServiceDefaults.Time;

/// <summary>
/// People read times as Beijing time (Asia/Shanghai wall-clock); storage keeps UTC instants. China has kept UTC+8
/// without daylight saving since 1991, so a fixed offset is the fallback when the zone database is missing.
/// One copy for every service, so capture days and deadlines mean the same everywhere.
/// </summary>
public static class ShanghaiTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    private static readonly TimeZoneInfo Zone = Find();

    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateTimeOffset ToShanghai(this DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The Beijing calendar day of an instant (a capture day, the day a shoot number belongs to).</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(ToLocal(now).DateTime);

    /// <summary>E.g. <c>2025-10-26 18:00 (Beijing time)</c>.</summary>
    public static string Display(DateTimeOffset instant) => $"{instant.ToOffset(Offset):yyyy-MM-dd HH:mm} (Beijing time)";

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", Offset, "China Standard Time", "CST");
        }
    }
}
