using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Capture.Testing;

namespace Capture.Payment.Tests;

/// <summary>Payment's JSON endpoints take at most ServiceDefaults' 1 MB: more is a 413 naming the limit, never a 500, and records nothing.</summary>
public sealed class BodyLimitTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_cash_list_over_1_MB_is_413_and_records_nothing(bool declared)
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var body = new RepeatedBodyStream($"{{\"campaignId\":\"{world.CampaignId}\",\"studentNumbers\":[\"{student.StudentNumber}\"", ",\"S0000000001\"", 100_000, "]}");
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (declared)
        {
            content.Headers.ContentLength = body.BodyLength;
        }

        using var staff = world.Staff("law");
        using var response = await staff.PostAsync($"{PaymentWorld.Prefix}/cash", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("at most 1 MB", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(Capture.Payment.Domain.OrderStatus.Pending, (await world.OrderAsync(student)).Status);
    }
}
