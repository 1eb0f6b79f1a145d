using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Gateway.Extensions;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Capture.Gateway.Tests;

public sealed class GatewayTests
{
    [Fact]
    public async Task The_development_token_issuer_mints_a_token_with_the_requested_role_and_scopes()
    {
        await using var gateway = new GatewayFactory("Development");
        using var client = gateway.CreateClient();
        using var response = await client.PostAsJsonAsync("/dev/token", new { role = "college-staff", subject = "sec-7", school = "10385", college = "law" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("access_token").GetString();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AuthenticationExtensions.DevelopmentIssuer,
            ValidAudience = AuthenticationExtensions.DefaultAudience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestTokens.SigningKey)),
        });
        Assert.True(result.IsValid);
        Assert.Equal("college-staff", result.Claims[CaptureClaims.Role]);
        Assert.Equal("law", result.Claims[CaptureClaims.College]);
    }

    [Fact]
    public async Task A_token_request_for_an_unknown_role_is_a_validation_problem_naming_the_field()
    {
        await using var gateway = new GatewayFactory("Development");
        using var client = gateway.CreateClient();
        using var response = await client.PostAsJsonAsync("/dev/token", new { role = "dean", subject = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains("role", problem!.Errors.Keys);
        Assert.Contains("school-admin", problem.Errors["role"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Outside_Development_there_is_no_token_issuer(string environment)
    {
        await using var gateway = new GatewayFactory(environment);
        using var client = gateway.CreateClient();
        using var response = await client.PostAsJsonAsync("/dev/token", new { role = "ops", subject = "x" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/registration/ops/outbox")]
    [InlineData("/api/scheduling/anything")]
    [InlineData("/api/payment/orders")]
    [InlineData("/api/capture/photos")]
    [InlineData("/api/verification/tasks")]
    public async Task The_gateway_refuses_api_calls_without_a_valid_token_before_proxying(string path)
    {
        await using var gateway = new GatewayFactory("Development");
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await response.Content.ReadFromJsonAsync<ProblemDetails>())?.Status);

        using var expired = gateway.CreateClient().WithToken(DevelopmentTokens.Issue(
            new DevelopmentTokenRequest("ops", "ops-1", null, null, null),
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestTokens.SigningKey)),
            now: DateTime.UtcNow.AddDays(-2)));
        using var expiredResponse = await expired.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, expiredResponse.StatusCode);
    }

    [Fact]
    public async Task Its_health_names_every_downstream_service_and_says_which_has_no_address()
    {
        await using var gateway = new GatewayFactory("Development", new Dictionary<string, string?>
        {
            ["services:registration:http:0"] = "http://127.0.0.1:9", // nothing listens on the discard port
        });
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<HealthDocument>(JsonSerializerOptions.Web);

        Assert.NotNull(health);
        Assert.Equal("Degraded", health.Status);
        Assert.Equal(["capture-ingest", "payment", "registration", "scheduling", "self", "verification"], health.Entries.Keys.Order().ToArray());
        Assert.Contains("does not answer", health.Entries["registration"].Description, StringComparison.Ordinal);
        Assert.Contains("services:payment:http:0", health.Entries["payment"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_correlation_id_is_kept_when_given_and_made_when_not()
    {
        await using var gateway = new GatewayFactory("Development");
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        request.Headers.Add(CorrelationMiddleware.HeaderName, "capture-day-42");
        using var given = await client.SendAsync(request);
        Assert.Equal("capture-day-42", given.Headers.GetValues(CorrelationMiddleware.HeaderName).Single());

        using var unsafeRequest = new HttpRequestMessage(HttpMethod.Get, "/alive");
        unsafeRequest.Headers.TryAddWithoutValidation(CorrelationMiddleware.HeaderName, "bad id\r\nwith injection");
        using var made = await client.SendAsync(unsafeRequest);
        var id = made.Headers.GetValues(CorrelationMiddleware.HeaderName).Single();
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Theory]
    [InlineData("POST", "/api/registration/campaigns/0193a0d2-0000-7000-8000-000000000001/roster", RequestBodyLimits.RosterUploadLimit)]
    [InlineData("POST", "/api/registration/campaigns/0193a0d2-0000-7000-8000-000000000001/roster/file", RequestBodyLimits.RosterUploadLimit)]
    [InlineData("POST", "/api/capture/stations/0193a0d2-0000-7000-8000-000000000001/photos", RequestBodyLimits.PhotoUploadLimit)]
    [InlineData("GET", "/api/registration/campaigns/0193a0d2-0000-7000-8000-000000000001/roster", null)]
    [InlineData("POST", "/api/registration/campaigns", null)]
    [InlineData("POST", "/api/registration/campaigns/x/roster/file/more", null)]
    public void Only_the_upload_routes_may_send_more_than_Kestrels_30_MB_and_a_roster_the_documented_32_MB(string method, string path, long? limit)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        Assert.Equal(limit, RequestBodyLimits.LimitFor(context.Request));
        Assert.Equal(32L * 1024 * 1024 + 64 * 1024, RequestBodyLimits.RosterUploadLimit);
    }
}
