namespace Capture.Scheduling.Domain;

/// <summary>
/// Which school a campaign belongs to, learned from Registration's <c>CampaignCreated</c>: the only school whose admins
/// may plan it. A capture day for a campaign Scheduling has not heard of is refused, never claimed by the first caller.
/// </summary>
public sealed class CampaignOwner
{
    public Guid CampaignId { get; set; }

    public required string SchoolCode { get; set; }

    public required string Cohort { get; set; }

    /// <summary>The fee per student from the latest <c>CampaignFeeChanged</c> (null: never changed after creation).</summary>
    public long? FeeFen { get; set; }

    public DateTimeOffset? FeeChangedAt { get; set; }
}
