namespace Capture.Scheduling.Domain;

/// <summary>Where a checked-in student is in a station's live queue.</summary>
public enum CheckInStatus
{
    CheckedIn = 0,
    Called = 1,
    Photographed = 2,
    Absent = 3,
}

/// <summary>
/// The names a caller uses for <see cref="CheckInStatus"/> (kebab-case, as responses show them, or the enum name), and
/// only names: <c>Enum.TryParse</c> would also take "1", "99" or "Called, Absent" and store a status that does not exist.
/// </summary>
public static class CheckInStatusNames
{
    private static readonly Dictionary<string, CheckInStatus> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["checked-in"] = CheckInStatus.CheckedIn,
        ["checkedin"] = CheckInStatus.CheckedIn,
        ["called"] = CheckInStatus.Called,
        ["photographed"] = CheckInStatus.Photographed,
        ["absent"] = CheckInStatus.Absent,
    };

    public static CheckInStatus? Parse(string? name) => name is not null && Names.TryGetValue(name.Trim(), out var status) ? status : null;
}
