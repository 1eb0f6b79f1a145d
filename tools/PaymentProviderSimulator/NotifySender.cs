using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Capture.PaymentProviderSimulator;

/// <summary>A notify to deliver: the order's payment, or one of its refunds when <see cref="Refund"/> is set; how many copies, after how long.</summary>
public sealed record NotifyJob(SimOrder Order, int Copies, TimeSpan Delay, SimRefund? Refund = null);

/// <summary>
/// Sends payment and refund notifies asynchronously, as WeChat Pay does: the transaction (or refund) encrypted under
/// the merchant's API v3 key, the body signed by the platform key with a fresh timestamp and nonce per attempt, retried
/// with back-off until the merchant answers 2xx or the schedule runs out. Copies are each signed anew (a provider's
/// duplicate delivery).
/// </summary>
public sealed partial class NotifySender(ProviderState state, IHttpClientFactory http, IOptions<SimulatorOptions> options, TimeProvider time, ILogger<NotifySender> logger) : BackgroundService
{
    public const string HttpClientName = "notify";
    private readonly Channel<NotifyJob> jobs = Channel.CreateUnbounded<NotifyJob>();

    public void Enqueue(NotifyJob job) => jobs.Writer.TryWrite(job);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in jobs.Reader.ReadAllAsync(stoppingToken))
        {
            for (var copy = 0; copy <= job.Copies; copy++)
            {
                var delay = job.Delay + TimeSpan.FromMilliseconds(copy * 50);
                _ = Task.Run(() => DeliverAsync(job.Order, job.Refund, delay, stoppingToken), stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(SimOrder order, SimRefund? refund, TimeSpan delay, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, ct);
        }

        var schedule = options.Value.NotifyRetrySchedule;
        for (var attempt = 0; attempt <= schedule.Length; attempt++)
        {
            var (status, error) = await SendOnceAsync(order, refund, ct);
            lock (order)
            {
                var record = new NotifyAttempt(time.GetUtcNow(), status, error);
                var delivered = status is >= 200 and < 300 ? 1 : 0;
                if (refund is null)
                {
                    order.NotifyAttempts.Add(record);
                    order.NotifiesDelivered += delivered;
                }
                else
                {
                    refund.NotifyAttempts.Add(record);
                    refund.NotifiesDelivered += delivered;
                }
            }

            if (status is >= 200 and < 300 || attempt == schedule.Length)
            {
                return;
            }

            await Task.Delay(schedule[attempt], time, ct);
        }
    }

    private async Task<(int? Status, string? Error)> SendOnceAsync(SimOrder order, SimRefund? refund, CancellationToken ct)
    {
        string url, number;
        Dictionary<string, string> headers;
        string body;
        lock (order)
        {
            (headers, body) = refund is null
                ? Notifications.Build(state, order.Merchant, Transactions.Of(order), "TRANSACTION.SUCCESS", time.GetUtcNow(), null, null)
                : Notifications.Build(state, order.Merchant, Refunds.Of(order, refund), "REFUND." + refund.Status, time.GetUtcNow(), null, null, Notifications.Refund);
            url = refund?.NotifyUrl ?? order.NotifyUrl;
            number = refund?.OutRefundNo ?? order.OutTradeNo;
        }

        try
        {
            using var client = http.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(request, ct);
            LogSent(logger, number, (int)response.StatusCode);
            return ((int)response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            LogSent(logger, number, 0);
            return (null, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Notify for {Number} answered {Status}")]
    private static partial void LogSent(ILogger logger, string number, int status);
}

/// <summary>Builds signed, encrypted notifies (also on request, for tests that play an attacker with a genuine key).</summary>
public static class Notifications
{
    public const string Transaction = "transaction";
    public const string Refund = "refund";

    /// <param name="resource">The transaction, or the refund when <paramref name="originalType"/> is <see cref="Refund"/>.</param>
    public static (Dictionary<string, string> Headers, string Body) Build(
        ProviderState state, Merchant merchant, object resource, string eventType, DateTimeOffset now, long? timestamp, string? nonce, string originalType = Transaction)
    {
        var plain = JsonSerializer.Serialize(resource, Json.Options);
        var resourceNonce = ProviderCrypto.Nonce(12);
        var body = JsonSerializer.Serialize(
            new
            {
                id = Guid.NewGuid().ToString(),
                create_time = now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
                resource_type = "encrypt-resource",
                event_type = eventType,
                summary = originalType == Refund ? "退款状态" : "支付成功",
                resource = new
                {
                    original_type = originalType,
                    algorithm = "AEAD_AES_256_GCM",
                    ciphertext = ProviderCrypto.Encrypt(merchant.ApiV3Key, resourceNonce, originalType, plain),
                    associated_data = originalType,
                    nonce = resourceNonce,
                },
            },
            Json.Options);
        var ts = timestamp ?? now.ToUnixTimeSeconds();
        var n = nonce ?? ProviderCrypto.Nonce();
        var headers = new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Wechatpay-Nonce"] = n,
            ["Wechatpay-Signature"] = ProviderCrypto.Sign(state.PlatformKey, $"{ts}\n{n}\n{body}\n"),
            ["Wechatpay-Serial"] = state.PlatformSerial,
            ["Wechatpay-Signature-Type"] = ProviderCrypto.Scheme,
        };
        return (headers, body);
    }
}

public static class Transactions
{
    /// <summary>The transaction JSON WeChat Pay puts in a notify and answers to a query.</summary>
    public static object Of(SimOrder o) => new
    {
        appid = o.Merchant.Appid,
        mchid = o.Merchant.Mchid,
        out_trade_no = o.OutTradeNo,
        transaction_id = o.TransactionId,
        trade_type = o.TradeType,
        trade_state = o.State,
        trade_state_desc = o.State switch { "SUCCESS" => "支付成功", "NOTPAY" => "未支付", "PAYERROR" => "支付失败", "REFUND" => "转入退款", "CLOSED" => "已关闭", _ => o.State },
        bank_type = "OTHERS",
        success_time = o.SuccessTime?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        payer = new { openid = Payer(o) },
        amount = new { total = o.AmountFen, payer_total = o.AmountFen, currency = o.Currency, payer_currency = o.Currency },
    };

    /// <summary>Who paid: the JSAPI order's payer, or a stand-in for whoever scanned the QR code.</summary>
    public static string Payer(SimOrder o) => o.PayerOpenId ?? "oSIM" + o.OutTradeNo[..Math.Min(8, o.OutTradeNo.Length)];
}

public static class Refunds
{
    /// <summary>The refund JSON WeChat Pay answers to a refund request or query (PROCESSING while the query lags).</summary>
    public static object Answer(SimOrder o, SimRefund r, DateTimeOffset now)
    {
        var lagging = r.EndedAt is { } ended && now < ended + r.QueryLag;
        return new
        {
            refund_id = r.RefundId,
            out_refund_no = r.OutRefundNo,
            transaction_id = o.TransactionId,
            out_trade_no = o.OutTradeNo,
            channel = "ORIGINAL",
            user_received_account = "支付用户零钱",
            status = lagging ? "PROCESSING" : r.Status,
            create_time = Local(r.CreatedAt),
            success_time = !lagging && r.SuccessTime is { } s ? Local(s) : null,
            amount = new { refund = r.AmountFen, total = o.AmountFen, currency = o.Currency, payer_refund = r.AmountFen, payer_total = o.AmountFen },
        };
    }

    /// <summary>The refund JSON WeChat Pay puts in a refund notify (REFUND.SUCCESS / ABNORMAL / CLOSED).</summary>
    public static object Of(SimOrder o, SimRefund r) => new
    {
        mchid = o.Merchant.Mchid,
        transaction_id = o.TransactionId,
        out_trade_no = o.OutTradeNo,
        refund_id = r.RefundId,
        out_refund_no = r.OutRefundNo,
        refund_status = r.Status,
        success_time = r.SuccessTime is { } s ? Local(s) : null,
        user_received_account = "支付用户零钱",
        amount = new { total = o.AmountFen, refund = r.AmountFen, payer_total = o.AmountFen, payer_refund = r.AmountFen },
    };

    /// <summary>
    /// Moves a processing refund on (a request or a query came): a counted one answers PROCESSING once less, a timed one
    /// ends once its time has come. A refund that ends sends its notify (when it has a notify_url and notifies are not dropped).
    /// </summary>
    public static void Advance(SimOrder order, SimRefund refund, NotifySender sender, TimeProvider time)
    {
        lock (order)
        {
            if (refund.Status != "PROCESSING")
            {
                return;
            }

            if (refund.FinishAt is { } at)
            {
                if (time.GetUtcNow() < at)
                {
                    return;
                }
            }
            else if (refund.ProcessingLeft > 0)
            {
                refund.ProcessingLeft--;
                return;
            }
        }

        Finish(order, refund, sender, time);
    }

    /// <summary>Ends a timed refund when its processing time is over, whether or not anyone asks.</summary>
    public static void Schedule(SimOrder order, SimRefund refund, NotifySender sender, TimeProvider time)
    {
        if (refund.FinishAt is { } at)
        {
            _ = Task.Run(async () =>
            {
                var wait = at - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time);
                }

                Finish(order, refund, sender, time);
            });
        }
    }

    private static void Finish(SimOrder order, SimRefund refund, NotifySender sender, TimeProvider time)
    {
        lock (order)
        {
            if (refund.Status != "PROCESSING")
            {
                return;
            }

            refund.Status = refund.Outcome;
            refund.EndedAt = time.GetUtcNow();
            refund.SuccessTime = refund.Outcome == "SUCCESS" ? refund.EndedAt : null;
        }

        if (refund.NotifyUrl is not null && !refund.DropNotify)
        {
            sender.Enqueue(new NotifyJob(order, refund.DuplicateNotifies, TimeSpan.Zero, refund));
        }
    }

    private static string Local(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
