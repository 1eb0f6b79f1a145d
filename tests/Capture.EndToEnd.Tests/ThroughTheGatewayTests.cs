using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.AspNetCore.Mvc;

namespace Capture.EndToEnd.Tests;

[Collection(nameof(WholeSystem))]
public sealed class ThroughTheGatewayTests(SystemFixture fixture)
{
    public static TheoryData<string> Prefixes => new() { "/api/registration", "/api/scheduling", "/api/payment", "/api/capture", "/api/verification" };

    [Fact]
    public async Task The_gateway_reports_every_service_healthy()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<HealthDocument>(JsonSerializerOptions.Web);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", health!.Status);
        foreach (var service in new[] { "registration", "scheduling", "payment", "capture-ingest", "verification" })
        {
            Assert.Equal("Healthy", health.Entries[service].Status);
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Each_service_answers_401_without_a_token_403_for_the_wrong_role_and_200_for_ops(string prefix)
    {
        using var anonymous = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{prefix}/ops/outbox")).StatusCode);

        using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student));
        using var forbidden = await student.GetAsync($"{prefix}/ops/outbox");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var ops = fixture.CreateClient(TestTokens.For(CaptureRoles.Ops));
        var status = await ops.GetFromJsonAsync<OutboxStatus>($"{prefix}/ops/outbox");
        Assert.Equal(0, status!.Pending);
    }

    [Fact]
    public async Task A_token_from_the_development_issuer_is_accepted_by_the_services()
    {
        using var client = fixture.CreateClient();
        using var issued = await client.PostAsJsonAsync("/dev/token", new { role = "ops", subject = "ops-on-duty" });
        issued.EnsureSuccessStatusCode();
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;

        using var ops = fixture.CreateClient(token);
        using var response = await ops.GetAsync("/api/capture/ops/outbox");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_correlation_id_and_trace_context_reach_the_service_behind_the_gateway()
    {
        var traceId = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/verification/ops/outbox");
        request.Headers.Add(CorrelationMiddleware.HeaderName, "e2e-correlation-1");
        request.Headers.Add("traceparent", $"00-{traceId}-1111111111111111-01");

        // The 403 is written by the verification service (the gateway checks only that a token is valid), so its
        // body shows what the service received.
        using var response = await student.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("e2e-correlation-1", problem!.Extensions["correlationId"]?.ToString());
        Assert.Equal(traceId, problem.Extensions["traceId"]?.ToString());
        Assert.Equal("e2e-correlation-1", response.Headers.GetValues(CorrelationMiddleware.HeaderName).Single());
        Assert.Contains(traceId, response.Headers.GetValues(CorrelationMiddleware.TraceResponseHeader).Single(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Each_openapi_document_is_reachable_through_the_gateway_without_a_token(string prefix)
    {
        var segment = prefix.Split('/')[2];
        using var client = fixture.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>($"/openapi/{segment}.json");
        Assert.True(document.GetProperty("paths").TryGetProperty($"{prefix}/ops/outbox", out _));
    }
}
