namespace Capture.Scheduling.Domain;

/// <summary>A student checked in at a station in a session and got a shoot number (拍摄号).</summary>
public sealed class CheckIn
{
    public Guid Id { get; set; }

    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    public Guid SessionId { get; set; }

    public Guid StationId { get; set; }

    public DateOnly Day { get; set; }

    public int Sequence { get; set; }

    public required string ShootNumber { get; set; }

    public DateTimeOffset CheckedInAt { get; set; }

    /// <summary>The student's own session was earlier: they queue after everyone who came on time.</summary>
    public bool Late { get; set; }

    public CheckInStatus Status { get; set; }

    public DateTimeOffset StatusChangedAt { get; set; }

    /// <summary>Why the operator admitted a student of another session (audited with who did it).</summary>
    public string? OverrideReason { get; set; }

    public string? OverriddenBy { get; set; }

    public required string OperatorSubject { get; set; }

    public uint Version { get; set; }
}
