namespace Capture.Payment.Domain;

/// <summary>
/// A refund of one paid order. At most one per order (a unique key on the order), so a refund is never made twice,
/// however many requests race. Online refunds go through the provider's refund API under <see cref="OutRefundNo"/>,
/// which the provider treats as idempotent, so a retry after a crash cannot pay twice either. A second payment (an
/// earlier payment code paid after the order was paid another way, waived or cancelled) is refunded too, against its own
/// merchant order number (<see cref="SupersededOutTradeNo"/>), at most once per number; it leaves the order as it is.
/// </summary>
public sealed class Refund
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }

    public long AmountFen { get; set; }

    public string Method { get; set; } = "";

    public string Reason { get; set; } = "";

    public RefundStatus Status { get; set; }

    public string OutRefundNo { get; set; } = "";

    public string? ProviderRefundId { get; set; }

    /// <summary>Why it is not done yet, or why it failed (shown to the school admin).</summary>
    public string? LastError { get; set; }

    /// <summary>The provider's last word on an online refund: PROCESSING, SUCCESS, ABNORMAL or CLOSED.</summary>
    public string? ProviderStatus { get; set; }

    /// <summary>When the provider was last asked about this refund (the worker asks the least recently asked first).</summary>
    public DateTimeOffset? LastCheckedAt { get; set; }

    /// <summary>What completed or failed it (<see cref="RefundSources"/>).</summary>
    public string? CompletedVia { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The superseded merchant order number a second payment was made under; null for the refund of the order's own payment.</summary>
    public string? SupersededOutTradeNo { get; set; }

    public bool IsSecondPayment => SupersededOutTradeNo is not null;

    /// <summary>The merchant order number the provider refunds: the second payment's, or the order's.</summary>
    public string OutTradeNoOf(PaymentOrder order) => SupersededOutTradeNo ?? order.OutTradeNo;

    /// <summary>The total of the provider order refunded: a second payment is refunded whole; the order's payment is its amount.</summary>
    public long TotalFenOf(PaymentOrder order) => IsSecondPayment ? AmountFen : order.AmountFen;
}

/// <summary>
/// Requested (to be sent or handed back), done, or failed (see <see cref="Refund.LastError"/>). A failed refund is never
/// sent again by itself (an order has one refund); people settle it, and a provider's or finance's later "done" still
/// completes it.
/// </summary>
public enum RefundStatus
{
    Requested,
    Succeeded,
    Failed,
}

/// <summary>Who told Payment a refund's outcome.</summary>
public static class RefundSources
{
    /// <summary>The provider's answer to the refund request or to the refund query.</summary>
    public const string ProviderAnswer = "provider-answer";

    /// <summary>The provider's refund notify (REFUND.SUCCESS / ABNORMAL / CLOSED).</summary>
    public const string ProviderNotify = "provider-notify";

    /// <summary>Finance's campus-card refund result file.</summary>
    public const string CardBatch = "card-batch";

    /// <summary>Staff recorded the money was handed back.</summary>
    public const string HandedBack = "handed-back";

    /// <summary>The refund worker gave up after repeated errors.</summary>
    public const string Worker = "worker";
}
