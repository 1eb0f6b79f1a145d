namespace Capture.Scheduling.Domain;

/// <summary>
/// The shoot number (拍摄号): station code and the station's running number for the capture day, e.g. <c>B2-0137</c>.
/// The photographer binds each photo to it, so it is unique per station and day and never depends on queue order.
/// </summary>
public static class ShootNumber
{
    public static string Format(string stationCode, int sequence) => $"{stationCode}-{sequence:D4}";
}
