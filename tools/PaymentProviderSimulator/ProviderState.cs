using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Capture.PaymentProviderSimulator;

/// <summary>A merchant enrolled with the simulator: its public key (to check its requests) and the API v3 key notifies are encrypted with.</summary>
public sealed record Merchant(string Mchid, string Appid, string SerialNo, RSA PublicKey, string ApiV3Key);

public sealed record NotifyAttempt(DateTimeOffset At, int? Status, string? Error);

/// <summary>A refund as the provider keeps it; guarded by its order's lock. What it ends as and how it is told are fixed when it is made.</summary>
public sealed class SimRefund
{
    public required string OutRefundNo { get; init; }

    public required string RefundId { get; init; }

    public long AmountFen { get; init; }

    /// <summary>PROCESSING, then <see cref="Outcome"/>.</summary>
    public string Status { get; set; } = "PROCESSING";

    /// <summary>SUCCESS, ABNORMAL or CLOSED.</summary>
    public string Outcome { get; init; } = "SUCCESS";

    /// <summary>Requests and queries still answered PROCESSING (when no <see cref="FinishAt"/>).</summary>
    public int ProcessingLeft { get; set; }

    /// <summary>When a time-processed refund ends by itself.</summary>
    public DateTimeOffset? FinishAt { get; init; }

    /// <summary>Where its notify goes (the refund request's notify_url); none when absent.</summary>
    public string? NotifyUrl { get; init; }

    public bool DropNotify { get; init; }

    public int DuplicateNotifies { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SuccessTime { get; set; }

    /// <summary>When it ended (SUCCESS, ABNORMAL or CLOSED).</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>How long after its end requests and queries still answer PROCESSING (a provider whose query lags its notify).</summary>
    public TimeSpan QueryLag { get; init; }

    public List<NotifyAttempt> NotifyAttempts { get; } = [];

    public int NotifiesDelivered { get; set; }
}

/// <summary>An order as the provider keeps it. Guarded by its own lock.</summary>
public sealed class SimOrder
{
    public required Merchant Merchant { get; init; }

    public required string OutTradeNo { get; init; }

    public required string Description { get; init; }

    public required string NotifyUrl { get; init; }

    public long AmountFen { get; init; }

    public string Currency { get; init; } = "CNY";

    public required string CodeToken { get; init; }

    /// <summary>NATIVE (a QR code) or JSAPI (inside WeChat, for <see cref="PayerOpenId"/>).</summary>
    public string TradeType { get; init; } = "NATIVE";

    public string? PayerOpenId { get; init; }

    /// <summary>The JSAPI order's prepay_id.</summary>
    public string? PrepayId { get; init; }

    public string State { get; set; } = "NOTPAY";

    public string? TransactionId { get; set; }

    public DateTimeOffset? SuccessTime { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public List<NotifyAttempt> NotifyAttempts { get; } = [];

    public List<SimRefund> Refunds { get; } = [];

    public int NotifiesDelivered { get; set; }
}

/// <summary>Everything the simulator knows: its platform key (made at start), enrolled merchants, orders, the current behaviour.</summary>
public sealed class ProviderState
{
    public RSA PlatformKey { get; } = RSA.Create(2048);

    public string PlatformSerial { get; } = "PUB_KEY_ID_SIM" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    public ConcurrentDictionary<string, Merchant> Merchants { get; } = new();

    public ConcurrentDictionary<string, SimOrder> Orders { get; } = new();

    public ConcurrentDictionary<string, SimOrder> OrdersByCode { get; } = new();

    public ConcurrentDictionary<string, SimOrder> OrdersByPrepay { get; } = new();

    public ConcurrentDictionary<string, string> BillTokens { get; } = new();

    public Behaviour Behaviour { get; set; } = new();

    public static string Key(string mchid, string outTradeNo) => mchid + "/" + outTradeNo;
}
