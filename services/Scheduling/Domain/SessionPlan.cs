namespace Capture.Scheduling.Domain;

/// <summary>
/// A campaign's plan: which school owns the campaign here, whether the plan is published, and its version. Once
/// published, every change to an allocation raises the version and emits SessionPlanPublished again.
/// </summary>
public sealed class SessionPlan
{
    public Guid CampaignId { get; set; }

    public required string SchoolCode { get; set; }

    public int PublishedVersion { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>Every allocation change touches the plan row, so concurrent edits conflict on its row version instead of overfilling a session.</summary>
    public DateTimeOffset? ChangedAt { get; set; }

    /// <summary>What students must bring, shown with their session.</summary>
    public required string Instructions { get; set; }

    public uint Version { get; set; }

    public bool IsPublished => PublishedAt is not null;

    public const string DefaultInstructions =
        "Bring your capture code (采集码) on your phone with the screen bright, and your student card. Arrive 15 minutes early; "
        + "wear no blue or skin-coloured clothes; no retouching.";
}
