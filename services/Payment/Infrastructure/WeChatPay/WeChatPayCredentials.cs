using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Infrastructure.WeChatPay;

/// <summary>The merchant's keys and the platform keys that sign what WeChat Pay sends.</summary>
public sealed record WeChatPayCredentials(
    string MerchantId,
    string AppId,
    string MerchantSerialNo,
    RSA MerchantKey,
    byte[] ApiV3Key,
    IReadOnlyDictionary<string, RSA> PlatformKeys);

/// <summary>What the simulator answers to an enrolment (<c>POST /sim/merchants</c>).</summary>
public sealed record SimulatorEnrolment(string Mchid, string Appid, string ApiV3Key, string PlatformSerial, string PlatformPublicKeyPem);

/// <summary>
/// Builds the credentials once: from configuration in production, or, for local runs against the provider simulator,
/// by enrolling a merchant key made at start (nothing secret is ever stored in the repository).
/// </summary>
public sealed class WeChatPayCredentialStore(IOptions<WeChatPayOptions> options, IHttpClientFactory http, ILogger<WeChatPayCredentialStore> logger)
{
    public const string EnrolmentClient = "wechatpay-enrolment";
    private readonly SemaphoreSlim gate = new(1, 1);
    private WeChatPayCredentials? credentials;

    public async Task<WeChatPayCredentials> GetAsync(CancellationToken ct)
    {
        if (credentials is { } known)
        {
            return known;
        }

        await gate.WaitAsync(ct);
        try
        {
            return credentials ??= string.IsNullOrWhiteSpace(options.Value.MerchantId) ? await EnrolAsync(ct) : FromConfiguration(options.Value);
        }
        finally
        {
            gate.Release();
        }
    }

    private static WeChatPayCredentials FromConfiguration(WeChatPayOptions o)
    {
        string Need(string? value, string name) => string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"WeChatPay:{name} is not set; production needs the merchant's {name} (see docs/payment.md).")
            : value;

        var merchantKey = RSA.Create();
        merchantKey.ImportFromPem(Need(o.MerchantPrivateKey ?? ReadFile(o.MerchantPrivateKeyPath), nameof(o.MerchantPrivateKey)));
        var platformKey = RSA.Create();
        platformKey.ImportFromPem(Need(o.PlatformPublicKey ?? ReadFile(o.PlatformPublicKeyPath), nameof(o.PlatformPublicKey)));
        var apiV3Key = Encoding.UTF8.GetBytes(Need(o.ApiV3Key, nameof(o.ApiV3Key)));
        if (apiV3Key.Length != 32)
        {
            throw new InvalidOperationException("WeChatPay:ApiV3Key must be the 32-character API v3 key.");
        }

        return new WeChatPayCredentials(
            o.MerchantId!,
            Need(o.AppId, nameof(o.AppId)),
            Need(o.MerchantSerialNo, nameof(o.MerchantSerialNo)),
            merchantKey,
            apiV3Key,
            new Dictionary<string, RSA> { [Need(o.PlatformSerial, nameof(o.PlatformSerial))] = platformKey });
    }

    private static string? ReadFile(string? path) => string.IsNullOrWhiteSpace(path) ? null : File.ReadAllText(path);

    private async Task<WeChatPayCredentials> EnrolAsync(CancellationToken ct)
    {
        var merchantKey = RSA.Create(2048);
        var serial = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        using var client = http.CreateClient(EnrolmentClient);
        using var response = await client.PostAsJsonAsync(
            "/sim/merchants",
            new { serialNo = serial, publicKeyPem = merchantKey.ExportSubjectPublicKeyInfoPem() },
            ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The payment provider simulator refused the merchant enrolment: {(int)response.StatusCode}.");
        }

        var e = await response.Content.ReadFromJsonAsync<SimulatorEnrolment>(ct)
            ?? throw new HttpRequestException("The payment provider simulator answered an empty enrolment.");
        var platformKey = RSA.Create();
        platformKey.ImportFromPem(e.PlatformPublicKeyPem);
        LogEnrolled(logger, e.Mchid, client.BaseAddress);
        return new WeChatPayCredentials(e.Mchid, e.Appid, serial, merchantKey, Encoding.UTF8.GetBytes(e.ApiV3Key), new Dictionary<string, RSA> { [e.PlatformSerial] = platformKey });
    }

    private static void LogEnrolled(ILogger logger, string merchantId, Uri? simulator) =>
        logger.LogInformation("Enrolled as merchant {MerchantId} with the payment provider simulator at {Simulator} (development keys made at start)", merchantId, simulator);
}
