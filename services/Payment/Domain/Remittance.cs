namespace Capture.Payment.Domain;

/// <summary>
/// A college's cash remittance batch (学院收费上缴): the cash its secretary recorded, handed to the school. Cash
/// recordings go into the college's open batch; the secretary submits it; the school admin confirms the amount
/// received, which must equal the sum of the batch's orders.
/// </summary>
public sealed class Remittance
{
    public Guid Id { get; set; }

    public Guid CampaignId { get; set; }

    public string SchoolCode { get; set; } = "";

    public string CollegeCode { get; set; } = "";

    public RemittanceStatus Status { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    public string? ConfirmedBy { get; set; }

    public long? ReceivedFen { get; set; }
}

public enum RemittanceStatus
{
    Open,
    Submitted,
    Confirmed,
}
