using System.Net.Http.Json;
using System.Text.Json;

namespace Capture.StationAgent.Core;

/// <summary>What the operator must see to sign in: the code to type at the address (or the address with the code, as a QR code).</summary>
public sealed record DeviceCodePrompt(string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, DateTimeOffset ExpiresAt);

/// <summary>
/// Production sign-in: the OAuth 2.0 device authorization grant (RFC 8628) of the university's OpenID Connect
/// authority. Discovery (<c>/.well-known/openid-configuration</c>) names the device authorization and token endpoints;
/// the agent shows the user code and verification address (<see cref="CodeIssued"/>), polls the token endpoint at the
/// interval the authority asks (<c>slow_down</c> adds 5 s; <c>authorization_pending</c> waits; <c>expired_token</c>
/// asks for a new code; <c>access_denied</c> ends the sign-in), and keeps the refresh token in
/// <see cref="IRefreshTokenStore"/>. The access token is refreshed before it expires and after a 401; when the
/// authority no longer takes the refresh token (revoked, expired, reused) the operator is sent back to the device flow
/// with a message (<see cref="Notice"/>). A sign-in waiting for the operator never blocks the uploads' retries: calls
/// meanwhile fail with <see cref="SignInException"/> and are retried like a network failure.
/// </summary>
public sealed class DeviceFlowTokenSource(HttpClient http, Uri authority, string clientId, string scope, IRefreshTokenStore store, TimeProvider time)
    : ITokenSource, IDisposable
{
    public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>RFC 8628 §3.5: the polling interval when the authority names none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource disposed = new();
    private (Uri DeviceAuthorization, Uri Token)? endpoints;
    private string? accessToken;
    private string? refreshToken;
    private bool refreshTokenLoaded;
    private DateTimeOffset accessExpiresAt;
    private DateTimeOffset refreshAt;
    private DateTimeOffset obtainedAt;
    private Task? signIn;

    /// <summary>A new user code to show (also when one expired unused, or the sign-in was revoked mid-run).</summary>
    public event Action<DeviceCodePrompt>? CodeIssued;

    /// <summary>Something the operator should read: signed in, refreshed, revoked, refused.</summary>
    public event Action<string>? Notice;

    /// <summary>The code on screen while a sign-in waits for the operator.</summary>
    public DeviceCodePrompt? Pending { get; private set; }

    /// <summary>How many times the access token was renewed with the refresh token (for the status line and tests).</summary>
    public int Refreshes { get; private set; }

    /// <summary>Null while a refresh token renews the access token unattended; the access token's end otherwise.</summary>
    public DateTimeOffset? ExpiresAt => accessToken is null ? null : refreshToken is null ? accessExpiresAt : null;

    public string ExpiryAdvice => "restart the agent to sign in again";

    public string? SignInNeeded => Pending is { } p ? $"not signed in: open {p.VerificationUri} and enter {p.UserCode}" : null;

    /// <summary>
    /// At start: signed in from the stored refresh token, or through the device flow (waits until the operator has
    /// signed in). False when not signed in (the reason went to <see cref="Notice"/>): an authority that cannot be
    /// reached does not stop the agent, which works offline and signs in when it answers.
    /// </summary>
    public async Task<bool> SignInAsync(CancellationToken ct)
    {
        Task? waiting;
        await gate.WaitAsync(ct);
        try
        {
            if (await TryRenewAsync(force: false, ct) is not null)
            {
                Notice?.Invoke($"Signed in with the sign-in kept in {store.Description}.");
                return true;
            }

            waiting = StartDeviceFlow();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Notice?.Invoke($"The sign-in authority {authority} cannot be reached ({e.Message}); working offline, signing in when it answers.");
            return false;
        }
        finally
        {
            gate.Release();
        }

        await waiting.WaitAsync(ct);
        return accessToken is not null;
    }

    public async ValueTask<string> GetAsync(bool refresh, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            if (accessToken is not null && (refresh ? now - obtainedAt < TimeSpan.FromSeconds(5) : now < refreshAt))
            {
                return accessToken; // fresh enough (for a 401: another call has just renewed it)
            }

            if (signIn is { IsCompleted: false })
            {
                throw new SignInException(SignInNeeded ?? "Signing in: waiting for the authority.");
            }

            try
            {
                if (await TryRenewAsync(force: refresh, ct) is { } renewed)
                {
                    return renewed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested
                                      && !refresh && accessToken is not null && now < accessExpiresAt)
            {
                return accessToken; // the authority is unreachable, but the token still works: try again on the next call
            }

            _ = StartDeviceFlow();
            throw new SignInException(SignInNeeded ?? "Not signed in: the device flow has started.");
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    /// <summary>The access token from the refresh token (memory, else the store), or null when there is none or the authority refused it.</summary>
    private async Task<string?> TryRenewAsync(bool force, CancellationToken ct)
    {
        if (!force && accessToken is not null && time.GetUtcNow() < refreshAt)
        {
            return accessToken;
        }

        if (!refreshTokenLoaded)
        {
            refreshToken = store.Load();
            refreshTokenLoaded = true;
        }

        if (refreshToken is null)
        {
            return null;
        }

        var (_, token) = await EndpointsAsync(ct);
        var (body, error) = await PostAsync(token, [new("grant_type", "refresh_token"), new("refresh_token", refreshToken), new("client_id", clientId)], ct);
        if (error is null)
        {
            Accept(body);
            Refreshes++;
            return accessToken;
        }

        if (error is "invalid_grant" or "invalid_client" or "unauthorized_client")
        {
            refreshToken = null;
            accessToken = null;
            store.Delete();
            Notice?.Invoke($"The sign-in has ended ({error}: {Description(body)}): the refresh token was revoked or has expired. Sign in again with the new code.");
            return null;
        }

        throw new HttpRequestException($"The authority refused to refresh the token: {error}: {Description(body)}");
    }

    /// <summary>Starts the device flow in the background unless it runs already; the task completes when the operator has signed in (or refused).</summary>
    private Task StartDeviceFlow()
    {
        if (signIn is { IsCompleted: false })
        {
            return signIn;
        }

        var stopping = disposed.Token;
        signIn = Task.Run(async () =>
        {
            try
            {
                await DeviceFlowAsync(stopping);
            }
            catch (Exception e) when (e is HttpRequestException or SignInException or JsonException or TaskCanceledException && !stopping.IsCancellationRequested)
            {
                Notice?.Invoke($"Sign-in failed: {e.Message}");
            }
            finally
            {
                Pending = null;
            }
        }, CancellationToken.None);
        return signIn;
    }

    private async Task DeviceFlowAsync(CancellationToken ct)
    {
        var (deviceAuthorization, token) = await EndpointsAsync(ct);
        while (true)
        {
            var (code, codeError) = await PostAsync(deviceAuthorization, [new("client_id", clientId), new("scope", scope)], ct);
            if (codeError is not null)
            {
                throw new SignInException($"The authority refused a device code: {codeError}: {Description(code)}");
            }

            var deviceCode = Text(code, "device_code") ?? throw new SignInException("The authority's device authorization answer has no device_code.");
            var interval = code.TryGetProperty("interval", out var i) && i.TryGetInt32(out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultInterval;
            var expiresAt = time.GetUtcNow() + TimeSpan.FromSeconds(code.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 600);
            Pending = new DeviceCodePrompt(
                Text(code, "user_code") ?? throw new SignInException("The authority's device authorization answer has no user_code."),
                new Uri(Text(code, "verification_uri") ?? Text(code, "verification_url") ?? throw new SignInException("No verification_uri in the answer.")),
                Uri.TryCreate(Text(code, "verification_uri_complete"), UriKind.Absolute, out var complete) ? complete : null,
                expiresAt);
            CodeIssued?.Invoke(Pending);

            while (true)
            {
                await Task.Delay(interval, time, ct);
                if (time.GetUtcNow() >= expiresAt)
                {
                    Notice?.Invoke("The code expired before anyone signed in; here is a new one.");
                    break;
                }

                JsonElement answer;
                string? error;
                try
                {
                    (answer, error) = await PostAsync(token, [new("grant_type", DeviceCodeGrantType), new("device_code", deviceCode), new("client_id", clientId)], ct);
                }
                catch (Exception x) when (x is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    continue; // the network: keep polling, the code is still good
                }

                switch (error)
                {
                    case null:
                        await gate.WaitAsync(ct);
                        try
                        {
                            Accept(answer);
                        }
                        finally
                        {
                            gate.Release();
                        }

                        Pending = null;
                        Notice?.Invoke($"Signed in. The sign-in is kept in {store.Description} and renewed without you.");
                        return;
                    case "authorization_pending":
                        continue;
                    case "slow_down":
                        interval += SlowDownStep;
                        continue;
                    case "expired_token":
                        Notice?.Invoke("The code expired before anyone signed in; here is a new one.");
                        break;
                    case "access_denied":
                        throw new SignInException("The sign-in was refused on the phone (access_denied).");
                    default:
                        throw new SignInException($"The authority refused the sign-in: {error}: {Description(answer)}");
                }

                break; // expired: ask for a new code
            }
        }
    }

    /// <summary>Takes a token answer: the access token, its lifetime, and the (rotated) refresh token, which is stored at once.</summary>
    private void Accept(JsonElement body)
    {
        var now = time.GetUtcNow();
        var access = Text(body, "access_token") ?? throw new SignInException("The authority's token answer has no access_token.");
        var lifetime = body.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : (PastedTokenSource.JwtExpiry(access) is { } exp ? exp - now : TimeSpan.FromMinutes(5));
        accessToken = access;
        obtainedAt = now;
        accessExpiresAt = now + lifetime;
        // Renewed when a fifth of its life is left (at most 5 minutes early), so a call never carries a token about to lapse.
        refreshAt = now + lifetime - TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 5, TimeSpan.FromMinutes(5).Ticks));
        if (Text(body, "refresh_token") is { } rotated && rotated != refreshToken)
        {
            refreshToken = rotated;
            store.Save(rotated);
        }

        refreshTokenLoaded = true;
    }

    private async Task<(Uri DeviceAuthorization, Uri Token)> EndpointsAsync(CancellationToken ct)
    {
        if (endpoints is { } known)
        {
            return known;
        }

        var discovery = new Uri(authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var document = await http.GetFromJsonAsync<JsonElement>(discovery, limit.Token);
        var device = Endpoint(document, "device_authorization_endpoint");
        var token = Endpoint(document, "token_endpoint");
        endpoints = (device, token);
        return (device, token);
    }

    private Uri Endpoint(JsonElement document, string name)
    {
        if (Text(document, name) is not { } value || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            throw new SignInException($"The authority {authority} offers no {name}: it does not support the device flow (RFC 8628).");
        }

        if (!IsSecureEnough(uri))
        {
            throw new SignInException($"The authority's {name} {uri} is not https.");
        }

        return uri;
    }

    /// <summary>https, or http to this machine (a development gateway).</summary>
    public static bool IsSecureEnough(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    /// <summary>A form POST; the JSON answer and its OAuth <c>error</c> (null on success).</summary>
    private async Task<(JsonElement Body, string? Error)> PostAsync(Uri endpoint, KeyValuePair<string, string>[] form, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(endpoint, content, limit.Token);
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"The authority answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        JsonElement body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(limit.Token);
        }
        catch (JsonException)
        {
            throw new HttpRequestException($"The authority answered {(int)response.StatusCode} without JSON.", null, response.StatusCode);
        }

        var error = Text(body, "error");
        if (error is null && !response.IsSuccessStatusCode)
        {
            error = "invalid_request";
        }

        return (body, error);
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Description(JsonElement body) => Text(body, "error_description") ?? Text(body, "detail") ?? "";
}
