namespace Capture.Payment.Domain;

/// <summary>One line of the provider's trade bill (对账单) for a day: a payment or a refund of a merchant order.</summary>
public sealed class StatementLine
{
    public Guid Id { get; set; }

    public DateOnly BillDate { get; set; }

    public string OutTradeNo { get; set; } = "";

    public string? TransactionId { get; set; }

    /// <summary><c>SUCCESS</c> (a payment) or <c>REFUND</c>.</summary>
    public string Kind { get; set; } = "";

    public string? OutRefundNo { get; set; }

    public long AmountFen { get; set; }

    public string Currency { get; set; } = "CNY";

    public DateTimeOffset ImportedAt { get; set; }
}
