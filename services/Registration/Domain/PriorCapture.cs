namespace Capture.Registration.Domain;

/// <summary>
/// A capture a student already has for a degree level: recorded when the school reports one (earlier years, another
/// system), when a roster marks a student as captured (已采集), and kept per ID number so a later campaign finds it.
/// </summary>
public sealed class PriorCapture
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public string IdNumber { get; private set; } = "";

    public string DegreeLevel { get; private set; } = "";

    public string SchoolCode { get; private set; } = "";

    /// <summary>Where we learnt of it: <c>reported</c> by the school, or <c>roster</c>.</summary>
    public string Source { get; private set; } = "";

    /// <summary>E.g. the earlier cohort or campaign, for the refusal message.</summary>
    public string? Note { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    public static PriorCapture Record(string idNumber, string degreeLevel, string schoolCode, string source, string? note, DateTimeOffset now) =>
        new() { IdNumber = idNumber, DegreeLevel = degreeLevel, SchoolCode = schoolCode, Source = source, Note = note, RecordedAt = now };
}
