using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Capture.Web.Infrastructure;

/// <summary>An access token, the refresh token that renews it (if any), and when the access token ends.</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public static TokenSet From(string accessToken, string? refreshToken)
    {
        var jwt = new JsonWebToken(accessToken);
        return new(accessToken, refreshToken, jwt.IssuedAt == DateTime.MinValue ? DateTimeOffset.UtcNow : jwt.IssuedAt, jwt.ValidTo);
    }

    /// <summary>Renewed this long before it ends: 2 minutes, or a quarter of a short token's life.</summary>
    public TimeSpan RenewBefore => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(2).Ticks, (ExpiresAt - IssuedAt).Ticks / 4));
}

/// <summary>
/// The refresh-token grant (RFC 6749 §6) at the authority the person signed in with: the university's OpenID Connect
/// authority in production (<c>Auth:Authority</c>, <c>Auth:ClientId</c>, <c>Auth:ClientSecret</c>), the gateway's
/// development authority (<c>/dev</c>) in Development. The token endpoint comes from the authority's discovery document.
/// </summary>
public sealed class TokenRefresher(IHttpClientFactory factory, IConfiguration configuration, IHostEnvironment environment, ILogger<TokenRefresher> logger)
{
    public const string DevelopmentClientId = "capture-web";

    private string? tokenEndpoint;

    private string Authority => WebAuthentication.UsesOpenIdConnect(configuration, environment)
        ? configuration["Auth:Authority"]!.TrimEnd('/')
        : new Uri(WebServiceExtensions.GatewayAddress(configuration), "/dev").ToString();

    private string ClientId => WebAuthentication.UsesOpenIdConnect(configuration, environment) ? configuration["Auth:ClientId"] ?? "" : DevelopmentClientId;

    /// <summary>New tokens for <paramref name="refreshToken"/>, or null when the authority refused or could not be reached (sign in again).</summary>
    public async Task<TokenSet?> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var http = factory.CreateClient(nameof(TokenRefresher));
        try
        {
            tokenEndpoint ??= (await http.GetFromJsonAsync<Discovery>($"{Authority}/.well-known/openid-configuration", ct))?.TokenEndpoint
                ?? throw new HttpRequestException("The authority's discovery document names no token endpoint.");
            var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = ClientId };
            if (configuration["Auth:ClientSecret"] is { Length: > 0 } secret && WebAuthentication.UsesOpenIdConnect(configuration, environment))
            {
                form["client_secret"] = secret;
            }

            using var response = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(form), ct);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, (int)response.StatusCode, null);
                return null;
            }

            var tokens = await response.Content.ReadFromJsonAsync<TokenResponse>(ct);
            return tokens?.AccessToken is { Length: > 0 } access ? TokenSet.From(access, tokens.RefreshToken ?? refreshToken) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogUnreachable(logger, e.Message, null);
            return null;
        }
    }

    private sealed record Discovery([property: JsonPropertyName("token_endpoint")] string? TokenEndpoint);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);

    private static readonly Action<ILogger, int, Exception?> LogRefused =
        LoggerMessage.Define<int>(LogLevel.Warning, new EventId(1, "RefreshRefused"), "The authority refused to renew a sign-in ({Status}): the person signs in again");

    private static readonly Action<ILogger, string, Exception?> LogUnreachable =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(2, "RefreshUnreachable"), "The authority could not renew a sign-in ({Reason}): the current token is used until it ends");
}

/// <summary>
/// The latest tokens of each sign-in (keyed by the cookie's <see cref="WebClaims.Session"/> claim), shared by the sign-in
/// cookie and every open page (Blazor circuit) of that person: an access token about to end is renewed once, under the
/// sign-in's lock, with its refresh token, and everyone gets the new one. (Renewing from two places with one refresh
/// token would spend it twice, and authorities that rotate refresh tokens end the whole sign-in then.) A station
/// screen left open all day keeps working however short the authority's access tokens are. In memory: one web replica;
/// after a restart the cookie's tokens are the starting point again.
/// </summary>
public sealed class SessionTokens(TokenRefresher refresher, TimeProvider time)
{
    private const int MaxSessions = 20_000;

    private readonly ConcurrentDictionary<string, Entry> sessions = new(StringComparer.Ordinal);

    /// <summary>The access token to call the gateway with for this person (renewed if it is about to end); null when signed out.</summary>
    public async Task<string?> AccessTokenAsync(ClaimsPrincipal user, CancellationToken ct) => (await CurrentAsync(user, ct))?.AccessToken;

    /// <summary>The person's current tokens (renewed if the access token is about to end), or null when the principal carries none.</summary>
    public async Task<TokenSet?> CurrentAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.FindFirst(WebClaims.AccessToken)?.Value is not { Length: > 0 } access)
        {
            return null;
        }

        var refresh = user.FindFirst(WebClaims.RefreshToken)?.Value;
        if (user.FindFirst(WebClaims.Session)?.Value is not { Length: > 0 } session || string.IsNullOrEmpty(refresh))
        {
            return TokenSet.From(access, null); // nothing to renew with: the token lives as long as it lives
        }

        var entry = sessions.GetOrAdd(session, _ => new Entry(TokenSet.From(access, refresh)));
        Prune();
        var now = time.GetUtcNow();
        if (entry.Tokens.ExpiresAt - now > entry.Tokens.RenewBefore)
        {
            return entry.Tokens;
        }

        await entry.Gate.WaitAsync(ct);
        try
        {
            if (entry.Tokens.ExpiresAt - time.GetUtcNow() > entry.Tokens.RenewBefore || entry.Tokens.RefreshToken is null)
            {
                return entry.Tokens;
            }

            if (await refresher.RefreshAsync(entry.Tokens.RefreshToken, ct) is { } renewed)
            {
                entry.Tokens = renewed;
            }

            return entry.Tokens;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Forgets a sign-in (signed out).</summary>
    public void Forget(ClaimsPrincipal user)
    {
        if (user.FindFirst(WebClaims.Session)?.Value is { Length: > 0 } session)
        {
            sessions.TryRemove(session, out _);
        }
    }

    private void Prune()
    {
        if (sessions.Count <= MaxSessions)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (key, entry) in sessions)
        {
            if (entry.Tokens.ExpiresAt < now - TimeSpan.FromHours(1))
            {
                sessions.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry(TokenSet tokens)
    {
        public TokenSet Tokens { get; set; } = tokens;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
