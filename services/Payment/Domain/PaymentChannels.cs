namespace Capture.Payment.Domain;

/// <summary>How a student pays online: the provider's order type, kept on the order so a switch between them is noticed.</summary>
public static class PaymentChannels
{
    /// <summary>WeChat Pay Native: a QR code (code_url) scanned with the phone.</summary>
    public const string Native = "native";

    /// <summary>WeChat Pay JSAPI: inside WeChat (official account page or mini program), for the payer's openid.</summary>
    public const string Jsapi = "jsapi";
}
