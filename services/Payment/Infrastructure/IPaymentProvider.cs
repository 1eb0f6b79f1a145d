namespace Capture.Payment.Infrastructure;

/// <summary>
/// An online payment provider as Payment uses it: create a QR-code order, ask for an order's state when no notify
/// came, refund, and verify and read a notify. WeChat Pay API v3 is the one implementation; Alipay can follow.
/// </summary>
public interface IPaymentProvider
{
    string Name { get; }

    /// <summary>Creates (or re-creates, idempotently, under the same merchant order number) a QR-code order; returns the code_url to show as a QR code.</summary>
    Task<string> CreateQrOrderAsync(ProviderOrder order, CancellationToken ct);

    /// <summary>The provider's view of an order, or null when it does not know the order.</summary>
    Task<ProviderTransaction?> QueryAsync(string outTradeNo, CancellationToken ct);

    /// <summary>Refunds an order in full. Idempotent under <see cref="ProviderRefundRequest.OutRefundNo"/>.</summary>
    Task<ProviderRefundResult> RefundAsync(ProviderRefundRequest refund, CancellationToken ct);

    /// <summary>The provider's trade bill (对账单) of a day (Asia/Shanghai), as text in the provider's format.</summary>
    Task<string> DownloadTradeBillAsync(DateOnly day, CancellationToken ct);

    /// <summary>Verifies a notify's signature and decrypts it; throws <see cref="NotifyRejectedException"/> when it is not authentic.</summary>
    Task<VerifiedNotify> VerifyNotifyAsync(IHeaderDictionary headers, byte[] body, CancellationToken ct);
}

public sealed record ProviderOrder(string OutTradeNo, string Description, long AmountFen, string Currency, DateTimeOffset? ExpiresAt);

/// <summary>A provider's word on an order. <see cref="State"/> uses WeChat Pay's trade_state words (SUCCESS, NOTPAY, CLOSED, REFUND, PAYERROR, ...).</summary>
public sealed record ProviderTransaction(
    string OutTradeNo,
    string? TransactionId,
    string State,
    long? AmountFen,
    string? Currency,
    DateTimeOffset? SuccessTime,
    string? MerchantId)
{
    public const string Success = "SUCCESS";

    public bool Paid => State is Success or "REFUND";
}

public sealed record ProviderRefundRequest(string OutTradeNo, string OutRefundNo, long RefundFen, long TotalFen, string Currency, string Reason);

/// <summary>SUCCESS, PROCESSING (ask again later), ABNORMAL or CLOSED (give up, a person looks).</summary>
public sealed record ProviderRefundResult(string Status, string? RefundId)
{
    public const string Success = "SUCCESS";
    public const string Processing = "PROCESSING";
}

/// <summary>An authentic notify: its replay-protection values and, for a payment event, the decrypted transaction.</summary>
public sealed record VerifiedNotify(string Id, string EventType, string Nonce, long Timestamp, ProviderTransaction? Transaction);

/// <summary>A notify that is not authentic or not readable: answered with <see cref="StatusCode"/> and nothing changes.</summary>
public sealed class NotifyRejectedException(int statusCode, string reason, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;
}
