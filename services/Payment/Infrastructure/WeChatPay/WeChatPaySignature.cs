using System.Security.Cryptography;
using System.Text;

namespace Capture.Payment.Infrastructure.WeChatPay;

/// <summary>
/// The cryptography of WeChat Pay API v3, from the published spec:
/// request signature <c>METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n</c> signed SHA256-with-RSA (PKCS#1 v1.5) by the merchant
/// key and sent as <c>Authorization: WECHATPAY2-SHA256-RSA2048 mchid=...,nonce_str=...,signature=...,timestamp=...,serial_no=...</c>;
/// responses and notifies signed the same way by the platform key over <c>TIMESTAMP\nNONCE\nBODY\n</c>
/// (headers <c>Wechatpay-Timestamp/-Nonce/-Signature/-Serial</c>); notify resources encrypted AEAD_AES_256_GCM under
/// the API v3 key with a 12-byte nonce and associated data, the 16-byte tag appended to the ciphertext.
/// </summary>
public static class WeChatPaySignature
{
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    public static string RequestMessage(string method, string pathAndQuery, long timestamp, string nonce, string body) =>
        $"{method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n";

    public static string ResponseMessage(long timestamp, string nonce, string body) => $"{timestamp}\n{nonce}\n{body}\n";

    /// <summary>What a JSAPI payment's <c>paySign</c> signs (JSAPI调起支付): <c>appId\ntimeStamp\nnonceStr\npackage\n</c>.</summary>
    public static string JsapiPayMessage(string appId, string timeStamp, string nonceStr, string package) => $"{appId}\n{timeStamp}\n{nonceStr}\n{package}\n";

    public static string Sign(RSA key, string message) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool Verify(RSA key, string message, string signature)
    {
        var bytes = new byte[Math.Max(1, signature.Length * 3 / 4)];
        return Convert.TryFromBase64String(signature, bytes, out var written)
            && key.VerifyData(Encoding.UTF8.GetBytes(message), bytes.AsSpan(0, written), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public static string Authorization(string merchantId, string serialNo, long timestamp, string nonce, string signature) =>
        $"{Scheme} mchid=\"{merchantId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{serialNo}\"";

    /// <summary>A 32-character random nonce from [A-Z0-9].</summary>
    public static string NewNonce() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32);

    /// <summary>Decrypts a notify resource; null when the key, nonce, data or tag do not match (not authentic).</summary>
    public static string? Decrypt(byte[] apiV3Key, string nonce, string associatedData, string ciphertextBase64)
    {
        try
        {
            var all = Convert.FromBase64String(ciphertextBase64);
            var nonceBytes = Encoding.UTF8.GetBytes(nonce);
            if (all.Length < 16 || nonceBytes.Length != 12)
            {
                return null;
            }

            var plain = new byte[all.Length - 16];
            using var aes = new AesGcm(apiV3Key, 16);
            aes.Decrypt(nonceBytes, all.AsSpan(0, all.Length - 16), all.AsSpan(all.Length - 16), plain, Encoding.UTF8.GetBytes(associatedData));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
