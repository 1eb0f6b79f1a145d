using System.Net;
using System.Net.Http.Json;
using System.Text;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.AspNetCore.Mvc;

namespace Capture.Scheduling.Tests;

/// <summary>Values that do not bind are 400s that name the field and say what it should be, never 500s.</summary>
public sealed class BindingProblemTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    [Theory]
    [InlineData("/api/scheduling/capture-days", """{"campaignId":"00000000-0000-0000-0000-000000000001","campusId":"00000000-0000-0000-0000-000000000002","date":"2030-02-30"}""", "date", "date yyyy-MM-dd")]
    [InlineData("/api/scheduling/capture-days", """{"campaignId":"not-a-guid","campusId":"00000000-0000-0000-0000-000000000002","date":"2030-02-28"}""", "campaignId", "GUID")]
    [InlineData("/api/scheduling/sessions", """{"captureDayId":"00000000-0000-0000-0000-000000000001","venueId":"00000000-0000-0000-0000-000000000002","start":"25:00","end":"26:00"}""", "start", "HH:mm")]
    [InlineData("/api/scheduling/sessions", """{"captureDayId":"00000000-0000-0000-0000-000000000001","venueId":"00000000-0000-0000-0000-000000000002","start":"08:00","end":"09:00","capacity":"many"}""", "capacity", "whole number")]
    public async Task A_value_that_does_not_bind_is_a_400_naming_the_field(string path, string body, string field, string expected)
    {
        using var admin = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "10385"));
        using var response = await admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.True(problem!.Errors.ContainsKey(field), string.Join(", ", problem.Errors.Keys));
        Assert.True(problem.Detail!.Contains(expected, StringComparison.Ordinal), problem.Detail);
    }

    [Fact]
    public async Task A_route_id_that_is_not_a_guid_is_not_a_500()
    {
        using var admin = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "10385"));
        using var response = await admin.GetAsync("/api/scheduling/campaigns/12345/sessions");
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
    }
}
