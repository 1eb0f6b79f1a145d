using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Capture.ServiceDefaults.Security;

/// <summary>
/// The capture code key: <c>CaptureCodes:SigningKey</c> (at least 32 characters). Outside Development the service
/// refuses to start without one. In Development (local runs, tests) it is derived from <c>Auth:SigningKey</c>, which the
/// AppHost makes per data folder, so codes stay valid across restarts of one local system.
/// </summary>
public static class CaptureCodeKey
{
    public const string ConfigurationKey = "CaptureCodes:SigningKey";

    public static CaptureCodeSigner CreateSigner(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = Encoding.UTF8.GetBytes(configured);
            return bytes.Length >= 32
                ? new CaptureCodeSigner(bytes)
                : throw new InvalidOperationException($"{ConfigurationKey} is too short: use at least 32 characters.");
        }

        var authKey = configuration["Auth:SigningKey"];
        if (environment.IsDevelopment() && !string.IsNullOrWhiteSpace(authKey))
        {
            return new CaptureCodeSigner(HMACSHA256.HashData(Encoding.UTF8.GetBytes(authKey), "capture-codes/v1"u8));
        }

        throw new InvalidOperationException(
            $"{ConfigurationKey} is not set: give a random secret of at least 32 characters (environment variable CaptureCodes__SigningKey). "
            + "Every instance needs the same one, and changing it invalidates every capture code already handed out.");
    }
}
