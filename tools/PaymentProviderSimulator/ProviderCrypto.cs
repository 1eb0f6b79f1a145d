using System.Security.Cryptography;
using System.Text;

namespace Capture.PaymentProviderSimulator;

/// <summary>The provider side of WeChat Pay API v3's cryptography (signing responses and notifies, encrypting resources, checking merchants' signatures).</summary>
public static class ProviderCrypto
{
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    public static string Nonce(int length = 32) => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);

    public static string Sign(RSA key, string message) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool Verify(RSA key, string message, string signature)
    {
        try
        {
            return key.VerifyData(Encoding.UTF8.GetBytes(message), Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>AEAD_AES_256_GCM: base64 of ciphertext followed by the 16-byte tag.</summary>
    public static string Encrypt(string apiV3Key, string nonce, string associatedData, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[plain.Length + 16];
        using var aes = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), 16);
        aes.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, output.AsSpan(0, plain.Length), output.AsSpan(plain.Length), Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }

    /// <summary>Parses <c>WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",timestamp="..",serial_no=".."</c>.</summary>
    public static IReadOnlyDictionary<string, string>? ParseAuthorization(string? header)
    {
        if (header is null || !header.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var result = new Dictionary<string, string>();
        foreach (var part in header[(Scheme.Length + 1)..].Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                return null;
            }

            result[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
        }

        return result;
    }
}
