namespace Capture.Scheduling.Domain;

/// <summary>A student's place in a makeup session. At most one live (not cancelled) booking per registration and campaign.</summary>
public sealed class MakeupBooking
{
    public Guid Id { get; set; }

    public Guid MakeupSessionId { get; set; }

    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    public DateTimeOffset BookedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }
}
