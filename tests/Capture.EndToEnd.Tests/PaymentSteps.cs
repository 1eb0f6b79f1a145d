using System.Net.Http.Json;
using System.Text.Json;
using Capture.AppHost.Hosting;
using Capture.Testing;

namespace Capture.EndToEnd.Tests;

/// <summary>What a student and the WeChat Pay simulator do to pay a capture fee online, through the gateway.</summary>
internal static class PaymentSteps
{
    /// <summary>The student's pending order paid by scanning its QR code (the simulator's page stands in for the phone); the notify comes back through the gateway.</summary>
    public static async Task PayAsync(CaptureSystem system, HttpClient student)
    {
        var order = await OrderAsync(student, "pending");
        using var online = await student.PostAsync($"/api/payment/me/orders/{order.GetProperty("id").GetGuid()}/online", null);
        Assert.True(online.IsSuccessStatusCode, await online.Content.ReadAsStringAsync());
        var codeUrl = (await online.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("codeUrl").GetString()!;
        Assert.StartsWith("weixin://wxpay/bizpayurl?pr=", codeUrl, StringComparison.Ordinal);
        using var phone = new HttpClient { BaseAddress = system.ServiceUri("payment-provider") };
        using var paid = await phone.PostAsync($"/sim/pay/{codeUrl[(codeUrl.IndexOf("pr=", StringComparison.Ordinal) + 3)..]}", null);
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement?> OrderOrNullAsync(HttpClient student)
    {
        var orders = await student.GetFromJsonAsync<JsonElement>("/api/payment/me/orders");
        return orders.GetArrayLength() == 1 ? orders[0] : null;
    }

    public static async Task<JsonElement> OrderAsync(HttpClient student, string status) =>
        (await Eventually.GetAsync(() => OrderOrNullAsync(student), o => o?.GetProperty("status").GetString() == status, TimeSpan.FromSeconds(30), $"an order {status}"))!.Value;

    public static async Task<Guid> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await CampaignArrival.SendAsync(() => client.PostAsJsonAsync(path, body));
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
