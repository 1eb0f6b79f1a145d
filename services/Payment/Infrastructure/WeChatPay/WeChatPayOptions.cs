namespace Capture.Payment.Infrastructure.WeChatPay;

/// <summary>
/// WeChat Pay API v3 merchant configuration (section <c>WeChatPay</c>). Production names every value (keys come from
/// the secret store, never the repository). When <see cref="MerchantId"/> is empty and a provider simulator is
/// configured (<c>services:payment-provider:http:0</c>), the service enrols with the simulator at first use instead:
/// it makes a merchant key of its own and receives the simulator's platform key and API v3 key.
/// </summary>
public sealed class WeChatPayOptions
{
    public const string SectionName = "WeChatPay";
    public const string SimulatorResource = "payment-provider";
    public const string ProductionBaseUrl = "https://api.mch.weixin.qq.com";

    /// <summary>The API's origin; the simulator's address when one is configured, else WeChat Pay's.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>商户号 (mchid).</summary>
    public string? MerchantId { get; set; }

    /// <summary>The AppID the merchant is bound to (公众号/小程序/应用 appid).</summary>
    public string? AppId { get; set; }

    /// <summary>Serial number of the merchant API certificate (商户API证书序列号).</summary>
    public string? MerchantSerialNo { get; set; }

    /// <summary>The merchant API private key, PEM (apiclient_key.pem), or a path to it in <see cref="MerchantPrivateKeyPath"/>.</summary>
    public string? MerchantPrivateKey { get; set; }

    public string? MerchantPrivateKeyPath { get; set; }

    /// <summary>The API v3 key (APIv3密钥): 32 characters, the AES-256-GCM key of notify resources.</summary>
    public string? ApiV3Key { get; set; }

    /// <summary>The WeChat Pay platform public key id (PUB_KEY_ID_...) or platform certificate serial that signs responses and notifies.</summary>
    public string? PlatformSerial { get; set; }

    /// <summary>The WeChat Pay public key (or the platform certificate's public key), PEM, or a path in <see cref="PlatformPublicKeyPath"/>.</summary>
    public string? PlatformPublicKey { get; set; }

    public string? PlatformPublicKeyPath { get; set; }

    /// <summary>Where WeChat Pay sends notifies: the gateway's public https address + <c>/api/payment/notify/wechatpay</c>.</summary>
    public string? NotifyUrl { get; set; }

    /// <summary>What the student sees on the payment page.</summary>
    public string Description { get; set; } = "Graduate photo capture fee";

    /// <summary>How long a QR-code order stays payable.</summary>
    public TimeSpan OrderLifetime { get; set; } = TimeSpan.FromHours(2);
}
