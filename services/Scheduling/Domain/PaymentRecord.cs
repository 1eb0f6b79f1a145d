namespace Capture.Scheduling.Domain;

/// <summary>
/// One payment as PaymentSucceeded / PaymentRefunded told it. A registration is paid when one of its payments
/// succeeded and was not refunded; keeping both facts per payment makes the answer the same in any arrival order.
/// </summary>
public sealed class PaymentRecord
{
    public Guid PaymentId { get; set; }

    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }
}
