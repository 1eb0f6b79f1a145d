using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Capture.ServiceDefaults.Http;

/// <summary>
/// Keeps one correlation id per request across the gateway, the services and the outbox: it takes
/// <c>X-Correlation-Id</c> from the request (or makes one), writes it back onto the request so a proxy forwards it,
/// echoes it on the response, puts it in the log scope and on the current activity. The response also carries
/// <c>traceresponse</c> (W3C Trace Context level 2) so a caller can find the trace of its request.
/// </summary>
public sealed partial class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public const string HeaderName = "X-Correlation-Id";
    public const string TraceResponseHeader = "traceresponse";
    public const string ItemKey = "Capture.CorrelationId";

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName].ToString();
        var correlationId = IsAcceptable(incoming) ? incoming : Guid.NewGuid().ToString("N");
        context.Request.Headers[HeaderName] = correlationId;
        context.Items[ItemKey] = correlationId;
        Activity.Current?.SetTag("correlation.id", correlationId);
        CorrelationContext.Current = correlationId;

        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[HeaderName] = correlationId;
            if (!headers.ContainsKey(TraceResponseHeader) && Activity.Current is { } activity)
            {
                headers[TraceResponseHeader] = $"00-{activity.TraceId}-{activity.SpanId}-{(activity.Recorded ? "01" : "00")}";
            }

            return Task.CompletedTask;
        });

        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId }))
        {
            await next(context);
        }
    }

    // A caller may choose its id, but not inject log noise: letters, digits, '-', '_', '.', at most 64.
    private static bool IsAcceptable(string value) => value.Length is > 0 and <= 64 && SafeId().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeId();
}

/// <summary>The correlation id of the work in progress (a request or a consumed message), for the outbox to carry on.</summary>
public static class CorrelationContext
{
    private static readonly AsyncLocal<string?> CurrentId = new();

    public static string? Current
    {
        get => CurrentId.Value;
        set => CurrentId.Value = value;
    }
}
