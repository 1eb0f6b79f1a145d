namespace Capture.Scheduling.Domain;

/// <summary>A day on which a campaign captures on one campus (Asia/Shanghai date).</summary>
public sealed class CaptureDay
{
    public Guid Id { get; set; }

    public Guid CampaignId { get; set; }

    public required string SchoolCode { get; set; }

    public Guid CampusId { get; set; }

    public DateOnly Date { get; set; }
}
