using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Gateway.Apis;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Capture.Gateway.Tests;

/// <summary>The development device-flow authority (RFC 8628) at <c>/dev</c>: the rules the station agent relies on.</summary>
public sealed class DeviceFlowIssuerTests
{
    private const string ClientId = "capture-station-agent";
    private static readonly string Venue = Guid.NewGuid().ToString();

    [Fact]
    public async Task Discovery_names_the_endpoints_and_an_approved_code_gives_a_signed_token_once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new GatewayFactory("Development", time: clock);
        using var client = gateway.CreateClient();

        var discovery = await client.GetFromJsonAsync<JsonElement>("/dev/.well-known/openid-configuration");
        Assert.Equal("http://localhost/dev/device/authorize", discovery.GetProperty("device_authorization_endpoint").GetString());
        Assert.Equal("http://localhost/dev/device/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Contains(DevelopmentDeviceFlowApi.DeviceCodeGrantType, discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));

        var code = await AuthorizeAsync(client);
        var userCode = code.GetProperty("user_code").GetString()!;
        Assert.Matches("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", userCode);
        Assert.Equal(5, code.GetProperty("interval").GetInt32());
        Assert.Equal(300, code.GetProperty("expires_in").GetInt32());
        Assert.EndsWith("/dev/device?user_code=" + userCode, code.GetProperty("verification_uri_complete").GetString(), StringComparison.Ordinal);
        var deviceCode = code.GetProperty("device_code").GetString()!;

        var (status, pending) = await PollAsync(client, deviceCode);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("authorization_pending", pending.GetProperty("error").GetString());

        using (var approved = await client.PostAsJsonAsync("/dev/device/approve",
                   new { user_code = userCode.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal), subject = "photographer-1", school = "10385", venue = Venue, access_token_lifetime = 60 }))
        {
            Assert.Equal(HttpStatusCode.NoContent, approved.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        var (okStatus, tokens) = await PollAsync(client, deviceCode);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal(60, tokens.GetProperty("expires_in").GetInt32());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        var claims = await ValidAsync(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(CaptureRoles.StationOperator, claims[CaptureClaims.Role]);
        Assert.Equal(Venue, claims[CaptureClaims.Venue]);
        Assert.Equal("photographer-1", claims[CaptureClaims.Subject]);

        clock.Advance(TimeSpan.FromSeconds(5));
        var (againStatus, again) = await PollAsync(client, deviceCode);
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal("invalid_grant", again.GetProperty("error").GetString()); // the device code is used once
    }

    [Fact]
    public async Task Polling_faster_than_the_interval_is_told_to_slow_down_by_five_seconds_each_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new GatewayFactory("Development", time: clock);
        using var client = gateway.CreateClient();
        var deviceCode = (await AuthorizeAsync(client)).GetProperty("device_code").GetString()!;

        Assert.Equal("authorization_pending", (await PollAsync(client, deviceCode)).Body.GetProperty("error").GetString());
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("slow_down", (await PollAsync(client, deviceCode)).Body.GetProperty("error").GetString()); // interval now 10 s
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("slow_down", (await PollAsync(client, deviceCode)).Body.GetProperty("error").GetString()); // interval now 15 s
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("authorization_pending", (await PollAsync(client, deviceCode)).Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_code_nobody_approves_in_five_minutes_expires_and_a_refused_one_is_access_denied()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new GatewayFactory("Development", time: clock);
        using var client = gateway.CreateClient();

        var late = await AuthorizeAsync(client);
        clock.Advance(TimeSpan.FromMinutes(5));
        using (var tooLate = await client.PostAsJsonAsync("/dev/device/approve", new { user_code = late.GetProperty("user_code").GetString(), subject = "p", venue = Venue }))
        {
            Assert.Equal(HttpStatusCode.NotFound, tooLate.StatusCode);
        }

        Assert.Equal("expired_token", (await PollAsync(client, late.GetProperty("device_code").GetString()!)).Body.GetProperty("error").GetString());

        var refused = await AuthorizeAsync(client);
        using (var deny = await client.PostAsJsonAsync("/dev/device/deny", new { user_code = refused.GetProperty("user_code").GetString() }))
        {
            Assert.Equal(HttpStatusCode.NoContent, deny.StatusCode);
        }

        Assert.Equal("access_denied", (await PollAsync(client, refused.GetProperty("device_code").GetString()!)).Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_tokens_are_rotated_a_reused_one_revokes_the_sign_in_and_revocation_ends_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new GatewayFactory("Development", new Dictionary<string, string?> { ["Auth:DevelopmentTokenLifetime"] = "00:02:00" }, clock);
        using var client = gateway.CreateClient();

        var first = await SignInAsync(client, clock);
        Assert.Equal(120, first.GetProperty("expires_in").GetInt32()); // the configured lifetime when the approval names none
        var refresh1 = first.GetProperty("refresh_token").GetString()!;

        var (status, second) = await RefreshAsync(client, refresh1);
        Assert.Equal(HttpStatusCode.OK, status);
        var refresh2 = second.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(refresh1, refresh2);
        Assert.Equal(Venue, (await ValidAsync(second.GetProperty("access_token").GetString()!))[CaptureClaims.Venue]);

        var (reusedStatus, reused) = await RefreshAsync(client, refresh1);
        Assert.Equal(HttpStatusCode.BadRequest, reusedStatus);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await RefreshAsync(client, refresh2)).Body.GetProperty("error").GetString()); // the whole line is revoked

        var other = (await SignInAsync(client, clock)).GetProperty("refresh_token").GetString()!;
        using (var revoke = await client.PostAsync("/dev/device/revoke", Form(("token", other))))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        Assert.Equal("invalid_grant", (await RefreshAsync(client, other)).Body.GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await RefreshAsync(client, "not-a-token-we-issued")).Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Malformed_requests_are_400_naming_the_field()
    {
        await using var gateway = new GatewayFactory("Development");
        using var client = gateway.CreateClient();

        await AssertFieldAsync(await client.PostAsync("/dev/device/authorize", Form(("scope", "openid"))), "client_id", "invalid_request");
        await AssertFieldAsync(await client.PostAsync("/dev/device/authorize", Form(("client_id", new string('a', 101)))), "client_id", "invalid_request");
        await AssertFieldAsync(await client.PostAsync("/dev/device/authorize", Form(("client_id", ClientId), ("scope", "openid  \"x\""))), "scope", "invalid_request");
        await AssertFieldAsync(await client.PostAsJsonAsync("/dev/device/authorize", new { client_id = ClientId }), "content-type", "invalid_request");
        await AssertFieldAsync(await client.PostAsync("/dev/device/token", Form(("client_id", ClientId), ("grant_type", DevelopmentDeviceFlowApi.DeviceCodeGrantType))), "device_code", "invalid_request");
        await AssertFieldAsync(await client.PostAsync("/dev/device/token", Form(("client_id", ClientId), ("grant_type", "refresh_token"), ("refresh_token", "a b"))), "refresh_token", "invalid_request");
        await AssertFieldAsync(await client.PostAsync("/dev/device/token", Form(("client_id", ClientId))), "grant_type", "invalid_request");
        await AssertFieldAsync(await client.PostAsJsonAsync("/dev/device/approve", new { user_code = "AEIO-UAEI", subject = "p", venue = Venue }), "user_code", null);
        await AssertFieldAsync(await client.PostAsJsonAsync("/dev/device/approve", new { user_code = "BCDF-GHJK", subject = new string('s', 101), venue = Venue }), "subject", null);
        await AssertFieldAsync(await client.PostAsJsonAsync("/dev/device/approve", new { user_code = "BCDF-GHJK", subject = "p" }), "venue", null);
        await AssertFieldAsync(await client.PostAsJsonAsync("/dev/device/approve", new { user_code = "BCDF-GHJK", subject = "p", venue = Venue, access_token_lifetime = 1 }), "access_token_lifetime", null);
        await AssertFieldAsync(await client.PostAsJsonAsync("/dev/device/deny", new { user_code = "x" }), "user_code", null);

        using var password = await client.PostAsync("/dev/device/token", Form(("client_id", ClientId), ("grant_type", "password")));
        Assert.Equal(HttpStatusCode.BadRequest, password.StatusCode);
        Assert.Equal("unsupported_grant_type", (await password.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var unknown = await client.PostAsJsonAsync("/dev/device/approve", new { user_code = "BCDF-GHJK", subject = "p", venue = Venue });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_device_code_works_only_for_the_client_it_was_given_to()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new GatewayFactory("Development", time: clock);
        using var client = gateway.CreateClient();
        var code = await AuthorizeAsync(client);
        using var response = await client.PostAsync("/dev/device/token", Form(("client_id", "someone-else"),
            ("grant_type", DevelopmentDeviceFlowApi.DeviceCodeGrantType), ("device_code", code.GetProperty("device_code").GetString()!)));
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("Production", "/dev/.well-known/openid-configuration")]
    [InlineData("Production", "/dev/device/authorize")]
    [InlineData("Staging", "/dev/device/token")]
    [InlineData("Production", "/dev/device/approve")]
    public async Task Outside_Development_there_is_no_device_flow_authority(string environment, string path)
    {
        await using var gateway = new GatewayFactory(environment);
        using var client = gateway.CreateClient();
        using var response = path.EndsWith("configuration", StringComparison.Ordinal)
            ? await client.GetAsync(path)
            : await client.PostAsync(path, Form(("client_id", ClientId)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<JsonElement> SignInAsync(HttpClient client, FakeTimeProvider clock)
    {
        var code = await AuthorizeAsync(client);
        (await client.PostAsJsonAsync("/dev/device/approve", new { user_code = code.GetProperty("user_code").GetString(), subject = "p", school = "10385", venue = Venue }))
            .EnsureSuccessStatusCode();
        var (status, tokens) = await PollAsync(client, code.GetProperty("device_code").GetString()!);
        Assert.Equal(HttpStatusCode.OK, status);
        clock.Advance(TimeSpan.FromSeconds(1));
        return tokens;
    }

    private static async Task<JsonElement> AuthorizeAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/dev/device/authorize", Form(("client_id", ClientId), ("scope", "openid offline_access")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PollAsync(HttpClient client, string deviceCode)
    {
        using var response = await client.PostAsync("/dev/device/token", Form(("client_id", ClientId),
            ("grant_type", DevelopmentDeviceFlowApi.DeviceCodeGrantType), ("device_code", deviceCode)));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(HttpClient client, string refreshToken)
    {
        using var response = await client.PostAsync("/dev/device/token", Form(("client_id", ClientId), ("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field, string? oauthError)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode} {body}");
            using var json = JsonDocument.Parse(body);
            Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named: {body}");
            if (oauthError is not null)
            {
                Assert.Equal(oauthError, json.RootElement.GetProperty("error").GetString());
            }
        }
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static async Task<IDictionary<string, object>> ValidAsync(string token)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AuthenticationExtensions.DevelopmentIssuer,
            ValidAudience = AuthenticationExtensions.DefaultAudience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestTokens.SigningKey)),
            ValidateLifetime = false, // the fake clock runs ahead of the handler's
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return result.Claims;
    }
}
