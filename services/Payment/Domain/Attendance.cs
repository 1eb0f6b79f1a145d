namespace Capture.Payment.Domain;

/// <summary>
/// What Payment knows of a registration's capture, from Scheduling's and CaptureIngest's events, kept apart from the
/// order so that the events may arrive in any order (even before the order exists). Refunds read it.
/// </summary>
public sealed class Attendance
{
    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    /// <summary>A session closed with this student absent.</summary>
    public DateTimeOffset? AbsentAt { get; set; }

    public DateTimeOffset? MakeupBookedAt { get; set; }

    /// <summary>A photo of the student was accepted: never refunded automatically.</summary>
    public DateTimeOffset? PhotographedAt { get; set; }
}
