namespace Capture.Payment.Domain;

/// <summary>A campaign's refund date, set by its school: absentees without a makeup booking by then are refunded.</summary>
public sealed class CampaignRefundPolicy
{
    public Guid CampaignId { get; set; }

    public string SchoolCode { get; set; } = "";

    /// <summary>The instant (start of the Asia/Shanghai day) from which absentees are refunded.</summary>
    public DateTimeOffset RefundFrom { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
