using System.Text.Json;
using System.Text.Json.Serialization;

namespace Capture.Payment.Infrastructure.WeChatPay;

/// <summary>The JSON of WeChat Pay API v3 (snake_case names), as far as Payment uses it.</summary>
public static class WeChatPayJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record WxAmount(long Total, string Currency, long? PayerTotal = null, string? PayerCurrency = null);

public sealed record WxNativeOrderRequest(string Appid, string Mchid, string Description, string OutTradeNo, string NotifyUrl, WxAmount Amount, string? TimeExpire = null);

public sealed record WxNativeOrderResponse(string CodeUrl);

public sealed record WxPayer(string Openid);

public sealed record WxJsapiOrderRequest(string Appid, string Mchid, string Description, string OutTradeNo, string NotifyUrl, WxAmount Amount, WxPayer Payer, string? TimeExpire = null);

public sealed record WxJsapiOrderResponse(string PrepayId);

public sealed record WxCloseRequest(string Mchid);

public sealed record WxTransaction(
    string? Appid,
    string? Mchid,
    string OutTradeNo,
    string? TransactionId,
    string? TradeType,
    string TradeState,
    string? TradeStateDesc,
    DateTimeOffset? SuccessTime,
    WxAmount? Amount);

public sealed record WxNotifyResource(string Algorithm, string Ciphertext, string? AssociatedData, string? OriginalType, string Nonce);

public sealed record WxNotify(string Id, DateTimeOffset? CreateTime, string EventType, string? ResourceType, WxNotifyResource? Resource, string? Summary);

public sealed record WxRefundAmount(long Refund, long Total, string Currency);

public sealed record WxRefundRequest(string OutTradeNo, string OutRefundNo, string? Reason, WxRefundAmount Amount, string? NotifyUrl = null);

public sealed record WxRefundResponse(string? RefundId, string OutRefundNo, string? OutTradeNo, string Status, DateTimeOffset? SuccessTime);

public sealed record WxRefundNoticeAmount(long Total, long Refund, long? PayerTotal, long? PayerRefund);

/// <summary>The decrypted resource of a refund notify (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED).</summary>
public sealed record WxRefundNotice(
    string? Mchid,
    string? TransactionId,
    string? OutTradeNo,
    string? RefundId,
    string? OutRefundNo,
    string? RefundStatus,
    DateTimeOffset? SuccessTime,
    string? UserReceivedAccount,
    WxRefundNoticeAmount? Amount);

public sealed record WxError(string? Code, string? Message);

public sealed record WxBill(string? HashType, string? HashValue, string? DownloadUrl);
