namespace Capture.Scheduling.Domain;

/// <summary>A registration that may book a makeup capture: absent when its session closed, or granted a re-capture.</summary>
public sealed class MakeupEligibility
{
    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    public required string Reason { get; set; }

    public Guid? SessionId { get; set; }

    public DateTimeOffset GrantedAt { get; set; }

    public const string Absent = "absent";
    public const string Recapture = "recapture";
}
