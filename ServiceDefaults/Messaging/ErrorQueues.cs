using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Capture.ServiceDefaults.Messaging;

/// <summary>One of the service's <c>_error</c> queues and how many messages wait in it for a person.</summary>
public sealed record ErrorQueueDepth(string Queue, long Messages);

/// <summary>What the service's error queues hold: null <see cref="Queues"/> when they could not be read (with why).</summary>
public sealed record ErrorQueueReport(IReadOnlyList<ErrorQueueDepth>? Queues, string? Unavailable)
{
    public long Messages => Queues?.Sum(q => q.Messages) ?? 0;
}

/// <summary>
/// Reads the depth of this service's <c>_error</c> queues (<c>{prefix}-…_error</c>, where a message lands after the
/// consumer's retries) from RabbitMQ's management API (<c>Messaging:ManagementUri</c>, e.g.
/// <c>http://guest:guest@127.0.0.1:15683/</c>; the AppHost sets it). One HTTP call lists the virtual host's queues, so
/// reading it on each health probe or ops request costs the broker nothing worth counting. Without the setting the
/// report says it is not configured, and health does not fail for that.
/// </summary>
public sealed partial class ErrorQueueMonitor(HttpClient http, ErrorQueueMonitorOptions options, ILogger<ErrorQueueMonitor> logger)
{
    public const string ManagementUriKey = "Messaging:ManagementUri";

    public async Task<ErrorQueueReport> ReadAsync(CancellationToken cancellationToken)
    {
        if (http.BaseAddress is null)
        {
            return new ErrorQueueReport(null, $"{ManagementUriKey} is not set, so error queues cannot be read here; see RabbitMQ's management UI.");
        }

        try
        {
            var queues = await http.GetFromJsonAsync<List<QueueRow>>(
                $"api/queues/{Uri.EscapeDataString(options.VirtualHost)}?columns=name,messages", cancellationToken) ?? [];
            var mine = queues
                .Where(q => q.Name.StartsWith(options.Prefix + "-", StringComparison.Ordinal) && q.Name.EndsWith("_error", StringComparison.Ordinal))
                .Select(q => new ErrorQueueDepth(q.Name, q.Messages ?? 0))
                .OrderBy(q => q.Queue, StringComparer.Ordinal)
                .ToList();
            return new ErrorQueueReport(mine, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreadable(logger, e);
            return new ErrorQueueReport(null, $"RabbitMQ's management API did not answer ({e.GetType().Name}).");
        }
    }

    internal static void Configure(HttpClient client, Uri? managementUri)
    {
        if (managementUri is null)
        {
            return;
        }

        client.BaseAddress = new Uri(managementUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        client.Timeout = TimeSpan.FromSeconds(3);
        if (!string.IsNullOrEmpty(managementUri.UserInfo))
        {
            var credentials = Uri.UnescapeDataString(managementUri.UserInfo);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not read the error queues from RabbitMQ's management API")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);

    private sealed record QueueRow([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("messages")] long? Messages);
}

/// <summary>Which queues are this service's: its endpoint prefix, in the virtual host of its amqp URI.</summary>
public sealed record ErrorQueueMonitorOptions(string Prefix, string VirtualHost);

/// <summary>
/// Degraded (never unhealthy: the service still works) while any of the service's error queues holds a message, naming
/// the queues, so the gateway's aggregated <c>/health</c> and dashboards show a message that failed for good.
/// </summary>
public sealed class ErrorQueueHealthCheck(ErrorQueueMonitor monitor) : IHealthCheck
{
    public const string Name = "error-queues";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await monitor.ReadAsync(cancellationToken);
        if (report.Queues is null)
        {
            return HealthCheckResult.Healthy(report.Unavailable);
        }

        var full = report.Queues.Where(q => q.Messages > 0).ToList();
        return full.Count == 0
            ? HealthCheckResult.Healthy("No message in an error queue.")
            : HealthCheckResult.Degraded($"{report.Messages} message(s) failed for good: {string.Join(", ", full.Select(q => $"{q.Queue} ({q.Messages})"))}. See docs/operations.md.");
    }
}
