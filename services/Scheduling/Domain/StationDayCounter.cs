namespace Capture.Scheduling.Domain;

/// <summary>The last shoot number issued at a station on a day; incremented with one atomic upsert per check-in.</summary>
public sealed class StationDayCounter
{
    public Guid StationId { get; set; }

    public DateOnly Day { get; set; }

    public int LastSequence { get; set; }
}
