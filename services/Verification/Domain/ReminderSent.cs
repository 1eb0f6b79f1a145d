namespace Capture.Verification.Domain;

/// <summary>A reminder point (days before the deadline) already sent for a task's round: sent once, by one instance.</summary>
public sealed class ReminderSent
{
    public Guid RegistrationId { get; init; }

    public int Round { get; init; }

    public int DaysBefore { get; init; }

    public DateTimeOffset SentAt { get; init; }
}
