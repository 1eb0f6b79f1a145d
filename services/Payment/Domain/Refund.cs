namespace Capture.Payment.Domain;

/// <summary>
/// A refund of one paid order. At most one per order (a unique key on the order), so a refund is never made twice,
/// however many requests race. Online refunds go through the provider's refund API under <see cref="OutRefundNo"/>,
/// which the provider treats as idempotent, so a retry after a crash cannot pay twice either.
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

    public string? LastError { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>Requested (to be sent or handed back), done, or given up (see <see cref="Refund.LastError"/>).</summary>
public enum RefundStatus
{
    Requested,
    Succeeded,
    Failed,
}
