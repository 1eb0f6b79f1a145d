using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Capture.Web.Infrastructure;

/// <summary>One RabbitMQ queue as ops see it.</summary>
public sealed record QueueDepth(string Name, long Messages, long Ready, long Unacknowledged, int Consumers, bool IsErrorQueue);

/// <summary>A service's health as the gateway's <c>/health</c> reports it.</summary>
public sealed record ServiceHealth(string Name, string Status, string? Description);

/// <summary>
/// What the ops dashboard reads beyond the services' APIs: the gateway's aggregated health, and RabbitMQ's management
/// API (queue depths, consumers, <c>_error</c> and <c>_skipped</c> queues) with the credentials in
/// <c>RabbitMq:Management</c> (Url, User, Password, VirtualHost). Only the ops page uses it, for the ops role.
/// </summary>
public sealed class OpsProbe(HttpClient http, IConfiguration configuration)
{
    public bool HasBroker => !string.IsNullOrWhiteSpace(configuration["RabbitMq:Management:Url"]);

    public async Task<(IReadOnlyList<ServiceHealth> Services, string Overall)> HealthAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(WebServiceExtensions.GatewayAddress(configuration), "/health"), ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var root = json.RootElement;
            var overall = root.TryGetProperty("status", out var s) ? s.GetString() ?? "Unknown" : "Unknown";
            var services = new List<ServiceHealth>();
            if (root.TryGetProperty("entries", out var entries) && entries.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in entries.EnumerateObject())
                {
                    services.Add(new ServiceHealth(
                        entry.Name,
                        entry.Value.TryGetProperty("status", out var st) ? st.GetString() ?? "?" : "?",
                        entry.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null));
                }
            }

            return (services, overall);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return ([new ServiceHealth("gateway", "Unhealthy", ex.Message)], "Unhealthy");
        }
    }

    public async Task<(IReadOnlyList<QueueDepth> Queues, string? Error)> QueuesAsync(CancellationToken ct)
    {
        if (!HasBroker)
        {
            return ([], "RabbitMq:Management:Url is not configured.");
        }

        var section = configuration.GetSection("RabbitMq:Management");
        var vhost = section["VirtualHost"] ?? "/";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(section["Url"]!), $"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages,messages_ready,messages_unacknowledged,consumers"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{section["User"] ?? "guest"}:{section["Password"] ?? "guest"}")));
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return ([], $"RabbitMQ management answered {(int)response.StatusCode}.");
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var queues = json.RootElement.EnumerateArray().Select(q =>
            {
                var name = q.GetProperty("name").GetString() ?? "";
                long Long(string p) => q.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
                return new QueueDepth(name, Long("messages"), Long("messages_ready"), Long("messages_unacknowledged"), (int)Long("consumers"),
                    name.EndsWith("_error", StringComparison.Ordinal) || name.EndsWith("_skipped", StringComparison.Ordinal));
            }).OrderByDescending(q => q.IsErrorQueue && q.Messages > 0).ThenBy(q => q.Name, StringComparer.Ordinal).ToList();
            return (queues, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException)
        {
            return ([], ex.Message);
        }
    }
}
