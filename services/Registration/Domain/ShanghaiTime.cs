namespace Capture.Registration.Domain;

/// <summary>People read times as Beijing time (Asia/Shanghai, UTC+8, no daylight saving); storage is UTC.</summary>
public static class ShanghaiTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset ToShanghai(this DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>E.g. <c>2025-10-26 18:00 (Beijing time)</c>.</summary>
    public static string Display(DateTimeOffset instant) => $"{instant.ToOffset(Offset):yyyy-MM-dd HH:mm} (Beijing time)";
}
