using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Capture.StationAgent.Core;

/// <summary>Where the agent's bearer token comes from; asked before every call, and again with refresh after a 401.</summary>
public interface ITokenSource
{
    ValueTask<string> GetAsync(bool refresh, CancellationToken ct);

    /// <summary>When the current token stops working and the operator must act, if known (for the status line).</summary>
    DateTimeOffset? ExpiresAt { get; }

    /// <summary>What the operator does before <see cref="ExpiresAt"/> (for the status line's warning).</summary>
    string ExpiryAdvice => "paste a new token";

    /// <summary>Set while the agent is not signed in and waits for the operator (the device flow's code), for the status line.</summary>
    string? SignInNeeded => null;
}

/// <summary>
/// Development sign-in: the gateway's <c>POST /dev/token</c> mints a station-operator token for the venue; renewed when
/// a fifth of its life is left or the server says 401.
/// </summary>
public sealed class DevelopmentTokenSource(HttpClient http, string subject, string school, Guid venue, TimeProvider time) : ITokenSource
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;

    public DateTimeOffset? ExpiresAt { get; private set; }

    public async ValueTask<string> GetAsync(bool refresh, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (!refresh && token is not null && ExpiresAt is { } expires && time.GetUtcNow() < expires)
            {
                return token;
            }

            using var response = await http.PostAsJsonAsync("/dev/token",
                new { role = "station-operator", subject, school, venue = venue.ToString() }, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new SignInException($"The gateway refused a development token ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(ct)}");
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            token = body.GetProperty("access_token").GetString()!;
            var lifetime = TimeSpan.FromSeconds(body.GetProperty("expires_in").GetInt32());
            ExpiresAt = time.GetUtcNow() + lifetime * 0.8;
            return token;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>
/// Production without the device flow: a token pasted from the web page, or a file holding it (read again on every
/// refresh, so a new token pasted into the file takes over without restarting the agent).
/// </summary>
public sealed class PastedTokenSource(string? token, string? tokenFile) : ITokenSource
{
    private string? current = token?.Trim();

    public DateTimeOffset? ExpiresAt => JwtExpiry(current);

    public async ValueTask<string> GetAsync(bool refresh, CancellationToken ct)
    {
        if (tokenFile is not null && (refresh || current is null || ExpiresAt < DateTimeOffset.UtcNow))
        {
            current = (await File.ReadAllTextAsync(tokenFile, ct)).Trim();
        }

        return current ?? throw new SignInException("No token: give --token or --token-file.");
    }

    /// <summary>The <c>exp</c> of a JWT (read, not validated: the server validates).</summary>
    public static DateTimeOffset? JwtExpiry(string? jwt)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return doc.RootElement.TryGetProperty("exp", out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64()) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}

public sealed class SignInException(string message) : Exception(message);
