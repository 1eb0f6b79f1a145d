using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Infrastructure.WeChatPay;

/// <summary>
/// WeChat Pay API v3 (Native payment: the student scans a QR code; JSAPI: the student pays inside WeChat), written from
/// the published protocol: every request signed with the merchant key, every response's and notify's signature checked
/// against the platform key, notify resources (payments and refunds) decrypted under the API v3 key.
/// </summary>
public sealed class WeChatPayProvider(HttpClient http, WeChatPayCredentialStore store, IOptions<WeChatPayOptions> options, TimeProvider time) : IPaymentProvider
{
    public const string ProviderName = "wechatpay";

    public string Name => ProviderName;

    public async Task<string> CreateQrOrderAsync(ProviderOrder order, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        var body = new WxNativeOrderRequest(
            c.AppId,
            c.MerchantId,
            order.Description,
            order.OutTradeNo,
            NotifyUrl(),
            new WxAmount(order.AmountFen, order.Currency),
            Expiry(order));
        var (status, text) = await SendAsync(c, HttpMethod.Post, "/v3/pay/transactions/native", JsonSerializer.Serialize(body, WeChatPayJson.Options), ct);
        EnsureSuccess(status, text, "create the order");
        var created = JsonSerializer.Deserialize<WxNativeOrderResponse>(text, WeChatPayJson.Options);
        return string.IsNullOrEmpty(created?.CodeUrl) ? throw new HttpRequestException("WeChat Pay answered an order without code_url.") : created.CodeUrl;
    }

    public async Task<string> CreateJsapiOrderAsync(ProviderOrder order, string openId, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        var body = new WxJsapiOrderRequest(
            c.AppId,
            c.MerchantId,
            order.Description,
            order.OutTradeNo,
            NotifyUrl(),
            new WxAmount(order.AmountFen, order.Currency),
            new WxPayer(openId),
            Expiry(order));
        var (status, text) = await SendAsync(c, HttpMethod.Post, "/v3/pay/transactions/jsapi", JsonSerializer.Serialize(body, WeChatPayJson.Options), ct);
        EnsureSuccess(status, text, "create the in-WeChat order");
        var created = JsonSerializer.Deserialize<WxJsapiOrderResponse>(text, WeChatPayJson.Options);
        return created?.PrepayId is { Length: > 0 and <= 64 } prepay ? prepay : throw new HttpRequestException("WeChat Pay answered a JSAPI order without a prepay_id.");
    }

    public async Task<JsapiPayParameters> SignJsapiPaymentAsync(string prepayId, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        var timeStamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WeChatPaySignature.NewNonce();
        var package = "prepay_id=" + prepayId;
        var paySign = WeChatPaySignature.Sign(c.MerchantKey, WeChatPaySignature.JsapiPayMessage(c.AppId, timeStamp, nonce, package));
        return new JsapiPayParameters(c.AppId, timeStamp, nonce, package, "RSA", paySign);
    }

    public async Task<ProviderClose> CloseAsync(string outTradeNo, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        var (status, text) = await SendAsync(
            c, HttpMethod.Post, $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}/close", JsonSerializer.Serialize(new WxCloseRequest(c.MerchantId), WeChatPayJson.Options), ct);
        if ((int)status is >= 200 and < 300 || status == HttpStatusCode.NotFound)
        {
            return ProviderClose.Closed;
        }

        // Refused: the usual reason is that the student paid meanwhile (ORDERPAID). Ask, rather than trust an error code.
        if (await QueryAsync(outTradeNo, ct) is { Paid: true } paid)
        {
            return new ProviderClose(paid);
        }

        EnsureSuccess(status, text, "close the order");
        return ProviderClose.Closed;
    }

    public async Task<ProviderTransaction?> QueryAsync(string outTradeNo, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        var path = $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}?mchid={Uri.EscapeDataString(c.MerchantId)}";
        var (status, text) = await SendAsync(c, HttpMethod.Get, path, "", ct);
        if (status == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(status, text, "query the order");
        var t = JsonSerializer.Deserialize<WxTransaction>(text, WeChatPayJson.Options) ?? throw new HttpRequestException("WeChat Pay answered an empty order.");
        return ToTransaction(t);
    }

    public async Task<ProviderRefundResult> RefundAsync(ProviderRefundRequest refund, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        // The refund's notify comes to the same address as payments' (the notify endpoint tells them apart by event_type).
        var body = new WxRefundRequest(refund.OutTradeNo, refund.OutRefundNo, refund.Reason, new WxRefundAmount(refund.RefundFen, refund.TotalFen, refund.Currency), options.Value.NotifyUrl);
        var (status, text) = await SendAsync(c, HttpMethod.Post, "/v3/refund/domestic/refunds", JsonSerializer.Serialize(body, WeChatPayJson.Options), ct);
        EnsureSuccess(status, text, "refund");
        var r = JsonSerializer.Deserialize<WxRefundResponse>(text, WeChatPayJson.Options) ?? throw new HttpRequestException("WeChat Pay answered an empty refund.");
        return new ProviderRefundResult(r.Status, r.RefundId);
    }

    public async Task<ProviderRefundResult?> QueryRefundAsync(string outRefundNo, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        var (status, text) = await SendAsync(c, HttpMethod.Get, $"/v3/refund/domestic/refunds/{Uri.EscapeDataString(outRefundNo)}", "", ct);
        if (status == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(status, text, "query the refund");
        var r = JsonSerializer.Deserialize<WxRefundResponse>(text, WeChatPayJson.Options) ?? throw new HttpRequestException("WeChat Pay answered an empty refund.");
        return new ProviderRefundResult(r.Status, r.RefundId);
    }

    public async Task<string> DownloadTradeBillAsync(DateOnly day, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        var (status, text) = await SendAsync(c, HttpMethod.Get, $"/v3/bill/tradebill?bill_date={day:yyyy-MM-dd}&bill_type=ALL", "", ct);
        EnsureSuccess(status, text, "give the trade bill");
        var bill = JsonSerializer.Deserialize<WxBill>(text, WeChatPayJson.Options);
        if (bill?.DownloadUrl is null || !Uri.TryCreate(bill.DownloadUrl, UriKind.Absolute, out var url))
        {
            throw new HttpRequestException("WeChat Pay answered a bill without download_url.");
        }

        // The file itself is not signed: its SHA1 from the signed answer above vouches for it.
        var (fileStatus, file) = await SendAsync(c, HttpMethod.Get, url.PathAndQuery, "", ct, verify: false);
        EnsureSuccess(fileStatus, file, "download the trade bill");
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(file)));
        if (!string.Equals(hash, bill.HashValue, StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpRequestException("The downloaded trade bill does not match the hash WeChat Pay signed: refused.");
        }

        return file;
    }

    public async Task<VerifiedNotify> VerifyNotifyAsync(IHeaderDictionary headers, byte[] body, CancellationToken ct)
    {
        var c = await store.GetAsync(ct);
        string Header(string name) => headers[name].ToString() is { Length: > 0 and <= 512 } v
            ? v
            : throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "missing-header", $"The {name} header is missing or too long.");

        var signature = Header("Wechatpay-Signature");
        var timestampText = Header("Wechatpay-Timestamp");
        var nonce = Header("Wechatpay-Nonce");
        var serial = Header("Wechatpay-Serial");
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "bad-timestamp", "Wechatpay-Timestamp must be Unix seconds.");
        }

        if (nonce.Length > 64)
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "bad-nonce", "Wechatpay-Nonce is longer than 64 characters.");
        }

        if (!Domain.NotifyReplayWindow.IsFresh(timestamp, time.GetUtcNow()))
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "stale", "Wechatpay-Timestamp is more than 5 minutes away from now: a replay, or a clock to fix.");
        }

        if (!c.PlatformKeys.TryGetValue(serial, out var platformKey))
        {
            throw new NotifyRejectedException(StatusCodes.Status401Unauthorized, "unknown-serial", "Wechatpay-Serial names no platform key this merchant trusts.");
        }

        var text = Encoding.UTF8.GetString(body);
        if (!WeChatPaySignature.Verify(platformKey, WeChatPaySignature.ResponseMessage(timestamp, nonce, text), signature))
        {
            throw new NotifyRejectedException(StatusCodes.Status401Unauthorized, "bad-signature", "Wechatpay-Signature does not verify against the platform key.");
        }

        WxNotify? notify;
        try
        {
            notify = JsonSerializer.Deserialize<WxNotify>(text, WeChatPayJson.Options);
        }
        catch (JsonException)
        {
            notify = null;
        }

        if (notify is null || string.IsNullOrEmpty(notify.Id) || string.IsNullOrEmpty(notify.EventType))
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "bad-body", "The notify body is not a WeChat Pay notification (id, event_type, resource).");
        }

        var isRefund = notify.EventType.StartsWith("REFUND.", StringComparison.Ordinal);
        if (!(isRefund || notify.EventType.StartsWith("TRANSACTION.", StringComparison.Ordinal)) || notify.Resource is null)
        {
            return new VerifiedNotify(notify.Id, notify.EventType, nonce, timestamp, null);
        }

        var r = notify.Resource;
        var plain = r.Algorithm == "AEAD_AES_256_GCM" ? WeChatPaySignature.Decrypt(c.ApiV3Key, r.Nonce, r.AssociatedData ?? "", r.Ciphertext) : null;
        if (isRefund)
        {
            return new VerifiedNotify(notify.Id, notify.EventType, nonce, timestamp, null, ReadRefund(c, plain));
        }

        WxTransaction? transaction = null;
        try
        {
            transaction = plain is null ? null : JsonSerializer.Deserialize<WxTransaction>(plain, WeChatPayJson.Options);
        }
        catch (JsonException)
        {
            // handled below
        }

        if (transaction is null || string.IsNullOrEmpty(transaction.OutTradeNo))
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "bad-resource", "The notify resource does not decrypt under the API v3 key to a transaction.");
        }

        if (transaction.Mchid is not null && transaction.Mchid != c.MerchantId)
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "other-merchant", "The transaction belongs to another merchant.");
        }

        return new VerifiedNotify(notify.Id, notify.EventType, nonce, timestamp, ToTransaction(transaction));
    }

    private static ProviderRefundNotice ReadRefund(WeChatPayCredentials c, string? plain)
    {
        WxRefundNotice? refund = null;
        try
        {
            refund = plain is null ? null : JsonSerializer.Deserialize<WxRefundNotice>(plain, WeChatPayJson.Options);
        }
        catch (JsonException)
        {
            // handled below
        }

        if (refund is not { OutRefundNo.Length: > 0 and <= 64, OutTradeNo.Length: > 0 and <= 32, RefundStatus.Length: > 0 and <= 16 })
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "bad-resource", "The notify resource does not decrypt under the API v3 key to a refund (out_refund_no, out_trade_no, refund_status).");
        }

        if (refund.Mchid is not null && refund.Mchid != c.MerchantId)
        {
            throw new NotifyRejectedException(StatusCodes.Status400BadRequest, "other-merchant", "The refund belongs to another merchant.");
        }

        return new ProviderRefundNotice(
            refund.OutTradeNo!, refund.OutRefundNo!, refund.RefundId is { Length: <= 64 } id ? id : null, refund.RefundStatus!, refund.Amount?.Refund, refund.Amount?.Total, refund.SuccessTime);
    }

    private string NotifyUrl() => options.Value.NotifyUrl
        ?? throw new InvalidOperationException("WeChatPay:NotifyUrl is not set: give the public address of /api/payment/notify/wechatpay.");

    private static string? Expiry(ProviderOrder order) =>
        order.ExpiresAt?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static ProviderTransaction ToTransaction(WxTransaction t) =>
        new(t.OutTradeNo, t.TransactionId, t.TradeState, t.Amount?.Total, t.Amount?.Currency, t.SuccessTime, t.Mchid);

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(WeChatPayCredentials c, HttpMethod method, string pathAndQuery, string body, CancellationToken ct, bool verify = true)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = WeChatPaySignature.NewNonce();
        var signature = WeChatPaySignature.Sign(c.MerchantKey, WeChatPaySignature.RequestMessage(method.Method, pathAndQuery, timestamp, nonce, body));
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.TryAddWithoutValidation("Authorization", WeChatPaySignature.Authorization(c.MerchantId, c.MerchantSerialNo, timestamp, nonce, signature));
        request.Headers.Accept.ParseAdd("application/json");
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (verify && response.IsSuccessStatusCode)
        {
            VerifyResponse(c, response, text);
        }

        return (response.StatusCode, text);
    }

    /// <summary>A success answer must carry the platform's signature: a man in the middle cannot invent a payment.</summary>
    private void VerifyResponse(WeChatPayCredentials c, HttpResponseMessage response, string body)
    {
        string? H(string name) => response.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;
        var serial = H("Wechatpay-Serial");
        var ok = long.TryParse(H("Wechatpay-Timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            && Domain.NotifyReplayWindow.IsFresh(timestamp, time.GetUtcNow())
            && serial is not null && c.PlatformKeys.TryGetValue(serial, out var key)
            && H("Wechatpay-Signature") is { } signature && H("Wechatpay-Nonce") is { } nonce
            && WeChatPaySignature.Verify(key, WeChatPaySignature.ResponseMessage(timestamp, nonce, body), signature);
        if (!ok)
        {
            throw new HttpRequestException("WeChat Pay's answer is not signed by the platform key: refused.");
        }
    }

    private static void EnsureSuccess(HttpStatusCode status, string body, string what)
    {
        if ((int)status is >= 200 and < 300)
        {
            return;
        }

        WxError? error = null;
        try
        {
            error = JsonSerializer.Deserialize<WxError>(body, WeChatPayJson.Options);
        }
        catch (JsonException)
        {
            // not JSON: the status says enough
        }

        throw new HttpRequestException($"WeChat Pay refused to {what}: {(int)status} {error?.Code} {error?.Message}".TrimEnd(), null, status);
    }
}
