namespace Capture.Scheduling.Domain;

/// <summary>Where a checked-in student is in a station's live queue.</summary>
public enum CheckInStatus
{
    CheckedIn = 0,
    Called = 1,
    Photographed = 2,
    Absent = 3,
}
