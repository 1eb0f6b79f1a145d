namespace Capture.Payment.Domain;

/// <summary>
/// A merchant order number (商户订单号) an order gave up while a provider order may exist under it: the order was
/// re-priced (a new fee takes a new number, as WeChat Pay refuses a second amount under one), switched between the QR code
/// and WeChat, or was paid under an earlier number. A QR code shown or a prepay made under it stays payable at its amount
/// until the provider order is closed or expires, so Payment keeps the number: the superseded-order closer closes it, and
/// a payment under it (its notify, the close answered ORDERPAID, an order query) is the order's payment at this amount, or,
/// when the order no longer awaits payment, a second payment that is refunded automatically.
/// </summary>
public sealed class SupersededTradeNumber
{
    public string OutTradeNo { get; set; } = "";

    public Guid OrderId { get; set; }

    /// <summary>What the provider order under this number asks: the order's fee before it changed.</summary>
    public long AmountFen { get; set; }

    public string Currency { get; set; } = PaymentOrder.Cny;

    /// <summary>How the provider order was made (<see cref="PaymentChannels"/>).</summary>
    public string Channel { get; set; } = PaymentChannels.Native;

    public DateTimeOffset SupersededAt { get; set; }

    /// <summary>When the provider order's lifetime ends (it was made with <c>time_expire</c> = its start + <c>WeChatPay:OrderLifetime</c>).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public SupersededState State { get; set; }

    /// <summary>Close attempts so far (each claimed by one worker instance).</summary>
    public int Attempts { get; set; }

    /// <summary>When the closer next tries (a claim pushes it a lease ahead; an error, a back-off ahead).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The provider's last error, for a person.</summary>
    public string? LastError { get; set; }

    /// <summary>When it was closed, given up, or its payment taken.</summary>
    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>What the student paid under this number (fen), once a payment was taken.</summary>
    public long? PaidFen { get; set; }

    public string? TransactionId { get; set; }

    public DateTimeOffset? PaidAt { get; set; }
}

/// <summary>
/// Open (the provider order may still be paid: to close), closed at the provider, expired (given up after its lifetime
/// with the provider saying unpaid), or paid: the payment paid the order, or was a second payment (refunded).
/// </summary>
public enum SupersededState
{
    Open,
    Closed,
    Expired,
    PaidOrder,
    SecondPayment,
}
