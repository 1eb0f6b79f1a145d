using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Capture.ServiceDefaults.Http;

/// <summary>Writes a health report as JSON: overall status plus one entry per check, so the gateway and ops can see which part is down.</summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new HealthDocument(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description ?? e.Value.Exception?.Message, e.Value.Duration.TotalMilliseconds)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }
}

public sealed record HealthDocument(string Status, double DurationMs, IReadOnlyDictionary<string, HealthEntry> Entries);

public sealed record HealthEntry(string Status, string? Description, double DurationMs);
