using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Capture.ServiceDefaults.Security;
using Microsoft.IdentityModel.Tokens;

namespace Capture.Testing;

/// <summary>Tokens for tests, signed with a key made for the test run (the same issuer code the gateway's /dev/token uses).</summary>
public static class TestTokens
{
    public static string SigningKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public static string For(string role, string? subject = null, string? school = "10385", string? college = null, string? venue = null) =>
        DevelopmentTokens.Issue(
            new DevelopmentTokenRequest(role, subject ?? $"{role}-{Guid.NewGuid():N}", school, college, venue),
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)));

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
