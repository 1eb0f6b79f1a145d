using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;

namespace Capture.Testing;

/// <summary>RabbitMQ's management API: virtual hosts that isolate one test's queues from every other test's, and queue depths.</summary>
public sealed class RabbitMqAdmin(Uri managementUri) : IDisposable
{
    private readonly HttpClient http = CreateClient(managementUri);

    /// <summary>Creates a virtual host with full permissions for guest and returns its name.</summary>
    public async Task<string> CreateVirtualHostAsync(string prefix = "test")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        (await http.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(name)}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return name;
    }

    public async Task DeleteVirtualHostAsync(string name)
    {
        using var response = await http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}");
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task<IReadOnlyList<QueueInfo>> QueuesAsync(string virtualHost) =>
        await http.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{Uri.EscapeDataString(virtualHost)}") ?? [];

    /// <summary>Declares a durable queue and puts one message in it through the default exchange (e.g. to fake a dead letter).</summary>
    public async Task PutInQueueAsync(string virtualHost, string queue, string body)
    {
        var vhost = Uri.EscapeDataString(virtualHost);
        (await http.PutAsJsonAsync($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}", new { durable = true })).EnsureSuccessStatusCode();
        using var published = await http.PostAsJsonAsync($"api/exchanges/{vhost}/amq.default/publish",
            new { properties = new { }, routing_key = queue, payload = body, payload_encoding = "string" });
        published.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();

    private static HttpClient CreateClient(Uri managementUri)
    {
        var client = new HttpClient { BaseAddress = managementUri, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return client;
    }
}

public sealed record QueueInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("messages")] long Messages,
    [property: JsonPropertyName("consumers")] int Consumers);
