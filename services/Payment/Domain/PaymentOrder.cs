namespace Capture.Payment.Domain;

/// <summary>
/// One registration's capture fee (缴费订单): created when the registration is approved, paid once by one method,
/// refunded at most once. Amounts are integer fen (分) in CNY. State changes that race (a notify, a poll, a cash
/// record, a withdrawal) are conditional updates on <see cref="Status"/>, so exactly one of them wins.
/// </summary>
public sealed class PaymentOrder
{
    public const string Cny = "CNY";

    public Guid Id { get; set; }

    public Guid RegistrationId { get; set; }

    public Guid CampaignId { get; set; }

    public string SchoolCode { get; set; } = "";

    public string CollegeCode { get; set; } = "";

    public string CollegeName { get; set; } = "";

    public string? ClassName { get; set; }

    public string StudentNumber { get; set; } = "";

    public string StudentName { get; set; } = "";

    /// <summary>The fee; once paid, what was paid (an earlier price when an old payment code was paid, see <see cref="RepricedFeeFen"/>).</summary>
    public long AmountFen { get; set; }

    /// <summary>
    /// The fee the order had been re-priced to when the student paid an earlier price's payment code (a QR code shown
    /// before the fee changed): they paid the price asked when they paid, <see cref="AmountFen"/>. Null when they paid the fee.
    /// Reconciliation lists it as <c>paid-old-price</c>.
    /// </summary>
    public long? RepricedFeeFen { get; set; }

    public string Currency { get; set; } = Cny;

    public OrderStatus Status { get; set; }

    /// <summary>How it was paid (<see cref="PaymentMethods"/>); null until paid.</summary>
    public string? Method { get; set; }

    /// <summary>
    /// The merchant order number the provider knows (商户订单号, 6-32 characters); a new one when the amount or channel
    /// changes (the old one is kept as a <see cref="SupersededTradeNumber"/>); once paid online, the number it was paid under.
    /// </summary>
    public string OutTradeNo { get; set; } = "";

    public string? CodeUrl { get; set; }

    /// <summary>How the current provider order was made (<see cref="PaymentChannels"/>); null until a student starts paying online.</summary>
    public string? Channel { get; set; }

    /// <summary>The payer's openid a JSAPI (in-WeChat) order was made for: the provider binds the prepay to that user.</summary>
    public string? PayerOpenId { get; set; }

    /// <summary>The JSAPI order's prepay_id (预支付交易会话标识), valid at the provider for 2 hours.</summary>
    public string? PrepayId { get; set; }

    public DateTimeOffset? OnlineStartedAt { get; set; }

    public DateTimeOffset? LastPolledAt { get; set; }

    public string? ProviderTransactionId { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The paid voucher's number (拍照凭证), issued with the payment.</summary>
    public string? VoucherNumber { get; set; }

    public string? WaiverReason { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>The registration was withdrawn after it was paid: the fee goes back.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }

    /// <summary>The college's cash remittance batch this cash payment belongs to.</summary>
    public Guid? RemittanceId { get; set; }

    public DateTimeOffset ApprovedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Row version (PostgreSQL xmin): a tracked update loses, and retries, when a conditional update got there first.</summary>
    public uint Version { get; set; }

    public static string NewOutTradeNo() => Guid.NewGuid().ToString("N");

    /// <summary>Forgets the provider order made for the old merchant order number (a new number comes with a new amount or channel).</summary>
    public void ForgetProviderOrder()
    {
        CodeUrl = null;
        OnlineStartedAt = null;
        Channel = null;
        PayerOpenId = null;
        PrepayId = null;
    }
}
