using System.Net.Http.Json;
using System.Text.Json;

namespace Capture.Payment.Tests;

/// <summary>The OpenAPI document integrators read: every Payment route, and who may call each.</summary>
public sealed class OpenApiTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    [Fact]
    public async Task The_document_lists_the_payment_routes_and_the_notify_as_callable_without_a_token()
    {
        using var client = app.Service.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/api/payment/me/orders", "/api/payment/notify/wechatpay", "/api/payment/cash", "/api/payment/campaigns/{campaignId}/card-batch/results", "/api/payment/reconciliation/daily",
            "/api/payment/me/orders/{orderId}/jsapi", "/api/payment/campaigns/{campaignId}/card-refund-batch", "/api/payment/campaigns/{campaignId}/card-refund-batch/results" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        var notify = paths.GetProperty("/api/payment/notify/wechatpay").GetProperty("post").GetProperty("description").GetString();
        Assert.Contains("anyone (no token)", notify);
        var cash = paths.GetProperty("/api/payment/cash").GetProperty("post").GetProperty("description").GetString();
        Assert.Contains("college-staff", cash);
    }
}
