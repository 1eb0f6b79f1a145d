using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Capture.Testing;

/// <summary>
/// What every service must do, whatever its domain: start on its own migrated database, report its readiness
/// parts, declare who may call each endpoint, and refuse callers without a token (401) or with the wrong role (403).
/// Each service's test project runs these against its own Program.
/// </summary>
public abstract class ServiceBaselineTests<TProgram>(string databaseKey, string routePrefix, bool usesObjectStorage = false) : IAsyncLifetime
    where TProgram : class
{
    protected ServiceFactory<TProgram> Factory { get; } = new(databaseKey, usesObjectStorage);

    public Task InitializeAsync() => Factory.InitializeAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    [Fact]
    public async Task Health_reports_its_own_database_broker_and_store_healthy()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/health");
        var document = await response.Content.ReadFromJsonAsync<HealthDocument>(JsonSerializerOptions.Web);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(document);
        Assert.Equal("Healthy", document.Status);
        Assert.Equal("Healthy", document.Entries[databaseKey].Status);
        Assert.Contains(document.Entries, e => e.Key.Contains("masstransit", StringComparison.OrdinalIgnoreCase) && e.Value.Status == "Healthy");
        Assert.Equal(usesObjectStorage, document.Entries.ContainsKey("photos"));

        using var alive = await client.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task A_message_in_one_of_its_error_queues_degrades_health_and_shows_on_the_ops_view()
    {
        using var client = Factory.CreateClient();
        var prefix = Factory.Services.GetRequiredService<ErrorQueueMonitorOptions>().Prefix;
        var queue = $"{prefix}-probe-event_error";
        using (var admin = new RabbitMqAdmin(Factory.Endpoints.RabbitManagement ?? throw new InvalidOperationException("The test servers have no RabbitMQ management API.")))
        {
            await admin.PutInQueueAsync(Factory.VirtualHost, queue, "{}");
        }

        // The management API counts messages a moment after they are enqueued.
        var health = await Eventually.GetAsync(
            async () => await (await client.GetAsync("/health")).Content.ReadFromJsonAsync<HealthDocument>(JsonSerializerOptions.Web),
            d => d!.Entries.TryGetValue(ErrorQueueHealthCheck.Name, out var e) && e.Status == "Degraded",
            TimeSpan.FromSeconds(20), "health to report the error queue");
        Assert.Equal("Degraded", health!.Status);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        using var ops = Factory.CreateClient(TestTokens.For(CaptureRoles.Ops));
        var status = await ops.GetFromJsonAsync<OutboxStatus>(routePrefix + "/ops/outbox", JsonSerializerOptions.Web);
        Assert.Equal(1, status!.ErrorMessages);
        Assert.Equal(queue, Assert.Single(status.ErrorQueues!, q => q.Messages > 0).Queue);
    }

    [Fact]
    public async Task Readiness_leaves_the_broker_to_its_own_check()
    {
        using var client = Factory.CreateClient();
        using var ready = await client.GetAsync("/health/ready");
        var readiness = await ready.Content.ReadFromJsonAsync<HealthDocument>(JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.NotNull(readiness);
        Assert.Equal("Healthy", readiness.Entries[databaseKey].Status);
        Assert.DoesNotContain(readiness.Entries, e => e.Key.Contains("masstransit", StringComparison.OrdinalIgnoreCase));

        using var broker = await client.GetAsync("/health/broker");
        var brokerDocument = await broker.Content.ReadFromJsonAsync<HealthDocument>(JsonSerializerOptions.Web);
        Assert.Equal(HttpStatusCode.OK, broker.StatusCode);
        Assert.NotNull(brokerDocument);
        Assert.Contains(brokerDocument.Entries, e => e.Key.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Its_database_is_migrated_at_start()
    {
        using var client = Factory.CreateClient();
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public void Every_endpoint_declares_who_may_call_it()
    {
        using var client = Factory.CreateClient();
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Roles) || !string.IsNullOrEmpty(a.Policy)))
            .Select(e => e.RoutePattern.RawText ?? e.DisplayName)
            .ToList();
        Assert.True(undeclared.Count == 0, "Endpoints without a role or policy: " + string.Join(", ", undeclared));
    }

    [Fact]
    public async Task Every_json_endpoint_answers_a_malformed_or_mistyped_body_with_400_naming_what_is_wrong()
    {
        using var warm = Factory.CreateClient();
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH") == true)
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
            .ToList();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var role = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Roles).FirstOrDefault(r => !string.IsNullOrEmpty(r))?.Split(',')[0].Trim()
                ?? CaptureRoles.Ops;
            using var client = Factory.CreateClient(TestTokens.For(role, school: "10385", college: "law", venue: Guid.NewGuid().ToString()));
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart parameter => parameter.ParameterPolicies.Any(p => p.Content == "guid") ? Guid.NewGuid().ToString() : "x",
                _ => "",
            }))));
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.First(m => m is "POST" or "PUT" or "PATCH");
            foreach (var body in new[] { "{", "[1, 2]", "{\"a\": tru}" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.BadRequest || !text.Contains("\"detail\"", StringComparison.Ordinal) || !text.Contains("\"errors\"", StringComparison.Ordinal))
                {
                    failures.Add($"{method} {endpoint.RoutePattern.RawText} with {body}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData(CaptureRoles.CollegeStaff, "10385", null, null, "college")]
    [InlineData(CaptureRoles.SchoolAdmin, null, null, null, "school")]
    [InlineData(CaptureRoles.Student, null, null, null, "school")]
    [InlineData(CaptureRoles.IntegrationClient, null, null, null, "school")]
    [InlineData(CaptureRoles.StationOperator, "10385", null, null, "venue")]
    [InlineData(CaptureRoles.StationOperator, "10385", null, "not-a-venue-id", "venue")]
    public async Task A_token_without_the_scope_claim_its_role_needs_is_403_naming_the_claim(string role, string? school, string? college, string? venue, string claim)
    {
        using var client = Factory.CreateClient(TestTokens.For(role, school: school, college: college, venue: venue));
        using var response = await client.GetAsync($"{routePrefix}/ops/outbox");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"'{claim}'", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_an_api_call_is_refused_with_401_problem_details()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync($"{routePrefix}/ops/outbox");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(401, problem?.Status);
        Assert.False(string.IsNullOrEmpty(problem?.Detail));
        Assert.True(response.Headers.Contains(CorrelationMiddleware.HeaderName));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_with_401()
    {
        var foreign = DevelopmentTokens.Issue(
            new DevelopmentTokenRequest(CaptureRoles.Ops, "intruder", null, null, null),
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(new string('z', 40))));
        using var client = Factory.CreateClient(foreign);
        using var response = await client.GetAsync($"{routePrefix}/ops/outbox");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(CaptureRoles.Student)]
    [InlineData(CaptureRoles.CollegeStaff)]
    [InlineData(CaptureRoles.StationOperator)]
    [InlineData(CaptureRoles.IntegrationClient)]
    public async Task With_the_wrong_role_an_ops_call_is_refused_with_403(string role)
    {
        using var client = Factory.CreateClient(TestTokens.For(role, college: "law", venue: "venue-1"));
        using var response = await client.GetAsync($"{routePrefix}/ops/outbox");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(403, (await response.Content.ReadFromJsonAsync<ProblemDetails>())?.Status);
    }

    [Fact]
    public async Task Ops_reads_the_outbox_status()
    {
        using var client = Factory.CreateClient(TestTokens.For(CaptureRoles.Ops));
        var status = await client.GetFromJsonAsync<OutboxStatus>($"{routePrefix}/ops/outbox");
        Assert.NotNull(status);
        Assert.Equal(0, status.Pending);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task Its_openapi_document_is_served_and_says_who_may_call_each_operation()
    {
        using var client = Factory.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains($"{routePrefix}/ops/outbox", document, StringComparison.Ordinal);
        Assert.Contains("Who may call: roles: ops.", document, StringComparison.Ordinal);
    }
}
