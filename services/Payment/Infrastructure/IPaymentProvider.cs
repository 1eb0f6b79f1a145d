namespace Capture.Payment.Infrastructure;

/// <summary>
/// An online payment provider as Payment uses it: create a QR-code or in-app (JSAPI) order, close one, ask for an
/// order's or a refund's state when no notify came, refund, and verify and read a payment or refund notify. WeChat Pay API v3 is the one implementation; Alipay can follow.
/// </summary>
public interface IPaymentProvider
{
    string Name { get; }

    /// <summary>Creates (or re-creates, idempotently, under the same merchant order number) a QR-code order; returns the code_url to show as a QR code.</summary>
    Task<string> CreateQrOrderAsync(ProviderOrder order, CancellationToken ct);

    /// <summary>
    /// Creates (or re-creates, idempotently, under the same merchant order number and payer) an in-WeChat (JSAPI) order
    /// for the payer's openid; returns the prepay_id.
    /// </summary>
    Task<string> CreateJsapiOrderAsync(ProviderOrder order, string openId, CancellationToken ct);

    /// <summary>The parameters WeChat's <c>wx.requestPayment</c> / <c>WeixinJSBridge</c> take for a prepay, signed anew with a fresh nonce.</summary>
    Task<JsapiPayParameters> SignJsapiPaymentAsync(string prepayId, CancellationToken ct);

    /// <summary>
    /// Closes an unpaid order so it can never be paid (before or after its number is given up). Closed when the provider
    /// closed it or does not know it; when the provider refuses because it is paid already (WeChat Pay: ORDERPAID), the
    /// order is queried and its payment returned. Throws when the provider cannot be reached or refuses for another reason.
    /// </summary>
    Task<ProviderClose> CloseAsync(string outTradeNo, CancellationToken ct);

    /// <summary>The provider's view of an order, or null when it does not know the order.</summary>
    Task<ProviderTransaction?> QueryAsync(string outTradeNo, CancellationToken ct);

    /// <summary>Refunds an order in full. Idempotent under <see cref="ProviderRefundRequest.OutRefundNo"/>.</summary>
    Task<ProviderRefundResult> RefundAsync(ProviderRefundRequest refund, CancellationToken ct);

    /// <summary>The provider's view of a refund, or null when it does not know the refund number.</summary>
    Task<ProviderRefundResult?> QueryRefundAsync(string outRefundNo, CancellationToken ct);

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

/// <summary>A close's outcome: closed (or unknown at the provider), or refused because it was paid, with that payment.</summary>
public sealed record ProviderClose(ProviderTransaction? PaidTransaction)
{
    public static readonly ProviderClose Closed = new((ProviderTransaction?)null);

    public bool WasPaid => PaidTransaction is not null;
}

public sealed record ProviderRefundRequest(string OutTradeNo, string OutRefundNo, long RefundFen, long TotalFen, string Currency, string Reason);

/// <summary>SUCCESS, PROCESSING (ask again later), ABNORMAL or CLOSED (give up, a person looks).</summary>
public sealed record ProviderRefundResult(string Status, string? RefundId)
{
    public const string Success = "SUCCESS";
    public const string Processing = "PROCESSING";
    public const string Abnormal = "ABNORMAL";
    public const string Closed = "CLOSED";
}

/// <summary>A provider's refund notify, decrypted: which refund of which order, its final status and amounts in fen.</summary>
public sealed record ProviderRefundNotice(
    string OutTradeNo,
    string OutRefundNo,
    string? RefundId,
    string Status,
    long? RefundFen,
    long? TotalFen,
    DateTimeOffset? SuccessTime);

/// <summary>What <c>wx.requestPayment</c> takes: <c>paySign</c> is the merchant's SHA256-RSA over <c>appId\ntimeStamp\nnonceStr\npackage\n</c>.</summary>
public sealed record JsapiPayParameters(string AppId, string TimeStamp, string NonceStr, string Package, string SignType, string PaySign);

/// <summary>
/// An authentic notify: its replay-protection values and, for a payment event, the decrypted transaction, or, for a
/// refund event, the decrypted refund.
/// </summary>
public sealed record VerifiedNotify(string Id, string EventType, string Nonce, long Timestamp, ProviderTransaction? Transaction, ProviderRefundNotice? Refund = null);

/// <summary>A notify that is not authentic or not readable: answered with <see cref="StatusCode"/> and nothing changes.</summary>
public sealed class NotifyRejectedException(int statusCode, string reason, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;
}
