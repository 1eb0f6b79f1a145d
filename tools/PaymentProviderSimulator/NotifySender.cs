using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Capture.PaymentProviderSimulator;

/// <summary>A notify to deliver: the order, how many copies, after how long.</summary>
public sealed record NotifyJob(SimOrder Order, int Copies, TimeSpan Delay);

/// <summary>
/// Sends payment notifies asynchronously, as WeChat Pay does: the transaction encrypted under the merchant's API v3
/// key, the body signed by the platform key with a fresh timestamp and nonce per attempt, retried with back-off until
/// the merchant answers 2xx or the schedule runs out. Copies are each signed anew (a provider's duplicate delivery).
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
                _ = Task.Run(() => DeliverAsync(job.Order, delay, stoppingToken), stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(SimOrder order, TimeSpan delay, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, ct);
        }

        var schedule = options.Value.NotifyRetrySchedule;
        for (var attempt = 0; attempt <= schedule.Length; attempt++)
        {
            var (status, error) = await SendOnceAsync(order, ct);
            lock (order)
            {
                order.NotifyAttempts.Add(new NotifyAttempt(time.GetUtcNow(), status, error));
                if (status is >= 200 and < 300)
                {
                    order.NotifiesDelivered++;
                }
            }

            if (status is >= 200 and < 300 || attempt == schedule.Length)
            {
                return;
            }

            await Task.Delay(schedule[attempt], time, ct);
        }
    }

    private async Task<(int? Status, string? Error)> SendOnceAsync(SimOrder order, CancellationToken ct)
    {
        var (headers, body) = Notifications.Build(state, order.Merchant, Transactions.Of(order), "TRANSACTION.SUCCESS", time.GetUtcNow(), null, null);
        try
        {
            using var client = http.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, order.NotifyUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(request, ct);
            LogSent(logger, order.OutTradeNo, (int)response.StatusCode);
            return ((int)response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            LogSent(logger, order.OutTradeNo, 0);
            return (null, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Notify for {OutTradeNo} answered {Status}")]
    private static partial void LogSent(ILogger logger, string outTradeNo, int status);
}

/// <summary>Builds signed, encrypted notifies (also on request, for tests that play an attacker with a genuine key).</summary>
public static class Notifications
{
    public static (Dictionary<string, string> Headers, string Body) Build(
        ProviderState state, Merchant merchant, object transaction, string eventType, DateTimeOffset now, long? timestamp, string? nonce)
    {
        var plain = JsonSerializer.Serialize(transaction, Json.Options);
        var resourceNonce = ProviderCrypto.Nonce(12);
        var body = JsonSerializer.Serialize(
            new
            {
                id = Guid.NewGuid().ToString(),
                create_time = now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
                resource_type = "encrypt-resource",
                event_type = eventType,
                summary = "支付成功",
                resource = new
                {
                    original_type = "transaction",
                    algorithm = "AEAD_AES_256_GCM",
                    ciphertext = ProviderCrypto.Encrypt(merchant.ApiV3Key, resourceNonce, "transaction", plain),
                    associated_data = "transaction",
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
        trade_type = "NATIVE",
        trade_state = o.State,
        trade_state_desc = o.State switch { "SUCCESS" => "支付成功", "NOTPAY" => "未支付", "PAYERROR" => "支付失败", "REFUND" => "转入退款", _ => o.State },
        bank_type = "OTHERS",
        success_time = o.SuccessTime?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        payer = new { openid = "oSIM" + o.OutTradeNo[..Math.Min(8, o.OutTradeNo.Length)] },
        amount = new { total = o.AmountFen, payer_total = o.AmountFen, currency = o.Currency, payer_currency = o.Currency },
    };
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
