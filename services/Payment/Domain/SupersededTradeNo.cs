namespace Capture.Payment.Domain;

/// <summary>
/// A merchant order number an order had before it was re-priced, while the provider may still hold an order under it
/// (a QR code or an in-WeChat payment was started): the student can pay it until it expires. A payment notified under
/// it is the order's payment at the price asked then (<see cref="OrderRules.SupersededMismatch"/>); when the order was
/// paid some other way meanwhile, the payment is recorded here for a person to refund (nothing is lost).
/// </summary>
public sealed class SupersededTradeNo
{
    public string OutTradeNo { get; set; } = "";

    public Guid OrderId { get; set; }

    /// <summary>What the provider was asked for under this number.</summary>
    public long AmountFen { get; set; }

    public DateTimeOffset SupersededAt { get; set; }

    /// <summary>Set when a payment under this number came after the order was paid, waived or cancelled: to refund by hand.</summary>
    public string? PaidTransactionId { get; set; }

    public DateTimeOffset? PaidAt { get; set; }
}
