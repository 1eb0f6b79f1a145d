namespace Capture.Registration.Domain;

/// <summary>Study modes (学习形式): full-time 全日制 and part-time 非全日制.</summary>
public static class StudyModes
{
    public const string FullTime = "full-time";
    public const string PartTime = "part-time";

    public static IReadOnlyList<string> All { get; } = [FullTime, PartTime];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        [FullTime] = FullTime, ["全日制"] = FullTime, ["fulltime"] = FullTime,
        [PartTime] = PartTime, ["非全日制"] = PartTime, ["parttime"] = PartTime,
    };

    public static string? Parse(string? value) =>
        value is not null && Aliases.TryGetValue(value.Trim(), out var code) ? code : null;

    public static string Choices => "全日制 (full-time), 非全日制 (part-time)";
}
