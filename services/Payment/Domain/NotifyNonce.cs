namespace Capture.Payment.Domain;

/// <summary>A nonce (Wechatpay-Nonce) of an accepted notify: the same nonce twice is a replay and is refused.</summary>
public sealed class NotifyNonce
{
    public string Nonce { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }
}
