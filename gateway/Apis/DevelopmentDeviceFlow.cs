using System.Security.Cryptography;
using Capture.ServiceDefaults.Security;

namespace Capture.Gateway.Apis;

/// <summary>
/// The state of the development device-flow issuer (RFC 8628), in memory: pending device codes (short-lived, used
/// once) and refresh tokens (rotated on every use; using a rotated one again revokes its whole line, as a stolen copy
/// would). A gateway restart forgets everything, and a signed-in agent goes back to the device flow, as it must when
/// an identity provider revokes a sign-in. Development only: production uses the university's identity provider.
/// </summary>
public sealed class DevelopmentDeviceFlow(TimeProvider time)
{
    /// <summary>How long a device code and its user code wait for the sign-in on the phone.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The polling interval the agent is told to keep (<c>slow_down</c> adds 5 s for that code).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);

    /// <summary>How long a refresh token may wait unused; each use gives a new one with a fresh lifetime.</summary>
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromHours(24);

    /// <summary>Bounds on memory: a caller looping on device_authorization is refused rather than growing the gateway.</summary>
    public const int MaxPendingCodes = 1000;

    public const int MaxRefreshTokens = 10_000;

    /// <summary>RFC 8628 §6.1: consonants only (no vowels, so no words), case-insensitive, typed as XXXX-XXXX.</summary>
    public const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ";

    public const int UserCodeLength = 8;

    private readonly Lock gate = new();
    private readonly Dictionary<string, PendingCode> byDeviceCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> deviceCodeByUserCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> refreshTokens = new(StringComparer.Ordinal);

    public sealed record Approval(DevelopmentTokenRequest Claims, TimeSpan AccessTokenLifetime);

    public sealed record IssuedCode(string DeviceCode, string UserCode, TimeSpan ExpiresIn, TimeSpan Interval);

    /// <summary>What a token request gets: tokens, or the RFC 6749/8628 error code and why.</summary>
    public sealed record Grant(Approval? Approved, string Scope, string? RefreshToken, string? Error, string? Why)
    {
        public static Grant Refused(string error, string why) => new(null, "", null, error, why);
    }

    private sealed class PendingCode
    {
        public required string ClientId { get; init; }

        public required string Scope { get; init; }

        public required string UserCode { get; init; }

        public required DateTimeOffset ExpiresAt { get; init; }

        public TimeSpan Interval { get; set; } = PollInterval;

        public DateTimeOffset? LastPolledAt { get; set; }

        public Approval? Approved { get; set; }

        public bool Denied { get; set; }
    }

    private sealed record RefreshGrant(string ClientId, string Scope, Approval Approval, Guid Line, DateTimeOffset ExpiresAt, bool Used);

    /// <summary>A new device code for a client, or null when too many are waiting.</summary>
    public IssuedCode? Start(string clientId, string scope)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            Prune(now);
            if (byDeviceCode.Count >= MaxPendingCodes)
            {
                return null;
            }

            var deviceCode = NewSecret();
            string userCode;
            do
            {
                userCode = RandomNumberGenerator.GetString(UserCodeAlphabet, UserCodeLength);
            }
            while (deviceCodeByUserCode.ContainsKey(userCode));

            byDeviceCode[deviceCode] = new PendingCode { ClientId = clientId, Scope = scope, UserCode = userCode, ExpiresAt = now + CodeLifetime };
            deviceCodeByUserCode[userCode] = deviceCode;
            return new IssuedCode(deviceCode, FormatUserCode(userCode), CodeLifetime, PollInterval);
        }
    }

    /// <summary>The operator signed in on the phone and allowed the agent (or refused it); false when no such code waits.</summary>
    public bool Decide(string userCode, Approval? approval)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            Prune(now);
            if (!deviceCodeByUserCode.TryGetValue(NormalizeUserCode(userCode), out var deviceCode)
                || byDeviceCode[deviceCode] is not { Approved: null, Denied: false } pending
                || now >= pending.ExpiresAt)
            {
                return false;
            }

            pending.Approved = approval;
            pending.Denied = approval is null;
            return true;
        }
    }

    /// <summary>A poll of the token endpoint with a device code (RFC 8628 §3.4, §3.5).</summary>
    public Grant Poll(string clientId, string deviceCode)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!byDeviceCode.TryGetValue(deviceCode, out var pending) || pending.ClientId != clientId)
            {
                return Grant.Refused("invalid_grant", "The device code is unknown, was already used, or belongs to another client.");
            }

            if (now >= pending.ExpiresAt)
            {
                Forget(deviceCode, pending);
                return Grant.Refused("expired_token", "The device code expired before anyone signed in; ask for a new one.");
            }

            if (pending.LastPolledAt is { } last && now - last < pending.Interval)
            {
                pending.Interval += SlowDownStep;
                pending.LastPolledAt = now;
                return Grant.Refused("slow_down", $"Polled too often: wait {pending.Interval.TotalSeconds:0} s between polls.");
            }

            pending.LastPolledAt = now;
            if (pending.Denied)
            {
                Forget(deviceCode, pending);
                return Grant.Refused("access_denied", "The sign-in was refused on the phone.");
            }

            if (pending.Approved is not { } approval)
            {
                return Grant.Refused("authorization_pending", "Nobody has signed in with the user code yet.");
            }

            Forget(deviceCode, pending); // one-time: the tokens are handed out once
            return new Grant(approval, pending.Scope, NewRefreshToken(pending.ClientId, pending.Scope, approval, Guid.NewGuid(), now), null, null);
        }
    }

    /// <summary>A refresh (RFC 6749 §6): the old refresh token is spent and a new one given; reusing a spent one revokes the line.</summary>
    public Grant Refresh(string clientId, string refreshToken)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!refreshTokens.TryGetValue(refreshToken, out var grant) || grant.ClientId != clientId || now >= grant.ExpiresAt)
            {
                return Grant.Refused("invalid_grant", "The refresh token is unknown, expired or revoked: sign in again with the device flow.");
            }

            if (grant.Used)
            {
                RevokeLine(grant.Line);
                return Grant.Refused("invalid_grant", "The refresh token was already used (rotated); the sign-in is revoked: sign in again with the device flow.");
            }

            refreshTokens[refreshToken] = grant with { Used = true };
            return new Grant(grant.Approval, grant.Scope, NewRefreshToken(clientId, grant.Scope, grant.Approval, grant.Line, now), null, null);
        }
    }

    /// <summary>RFC 7009: revoking a refresh token ends its whole line (the sign-in). Unknown tokens are no error.</summary>
    public void Revoke(string refreshToken)
    {
        lock (gate)
        {
            if (refreshTokens.TryGetValue(refreshToken, out var grant))
            {
                RevokeLine(grant.Line);
            }
        }
    }

    /// <summary>Upper case without separators: <c>bcdf-ghjk</c> and <c>BCDFGHJK</c> are the same code.</summary>
    public static string NormalizeUserCode(string userCode) =>
        new([.. userCode.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant)]);

    public static bool IsUserCodeShape(string userCode)
    {
        var normalized = NormalizeUserCode(userCode);
        return userCode.Length <= 2 * UserCodeLength && normalized.Length == UserCodeLength && normalized.All(c => UserCodeAlphabet.Contains(c, StringComparison.Ordinal));
    }

    private static string FormatUserCode(string code) => $"{code[..4]}-{code[4..]}";

    private static string NewSecret() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string NewRefreshToken(string clientId, string scope, Approval approval, Guid line, DateTimeOffset now)
    {
        Prune(now);
        if (refreshTokens.Count >= MaxRefreshTokens)
        {
            // Drop the oldest spent ones first, then the oldest: a development issuer may forget, never grow without bound.
            foreach (var old in refreshTokens.OrderByDescending(r => r.Value.Used).ThenBy(r => r.Value.ExpiresAt).Take(refreshTokens.Count - MaxRefreshTokens + 1).ToList())
            {
                refreshTokens.Remove(old.Key);
            }
        }

        var token = NewSecret();
        refreshTokens[token] = new RefreshGrant(clientId, scope, approval, line, now + RefreshLifetime, Used: false);
        return token;
    }

    private void RevokeLine(Guid line)
    {
        foreach (var key in refreshTokens.Where(r => r.Value.Line == line).Select(r => r.Key).ToList())
        {
            refreshTokens.Remove(key);
        }
    }

    private void Forget(string deviceCode, PendingCode pending)
    {
        byDeviceCode.Remove(deviceCode);
        deviceCodeByUserCode.Remove(pending.UserCode);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (code, pending) in byDeviceCode.Where(p => now >= p.Value.ExpiresAt + CodeLifetime).ToList())
        {
            // Kept one more lifetime after expiry so a late poll hears expired_token rather than invalid_grant.
            Forget(code, pending);
        }

        foreach (var key in refreshTokens.Where(r => now >= r.Value.ExpiresAt).Select(r => r.Key).ToList())
        {
            refreshTokens.Remove(key);
        }
    }
}
