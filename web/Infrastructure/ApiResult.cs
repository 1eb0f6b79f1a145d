using System.Net;
using System.Text.Json;

namespace Capture.Web.Infrastructure;

/// <summary>
/// A service's ProblemDetails as a page shows it: the title and detail above the form, and each entry of
/// <c>errors</c> next to the field it names.
/// </summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, string? Code, IReadOnlyDictionary<string, string[]> Errors, string? TraceId)
{
    /// <summary>The whole ProblemDetails body, for extensions a page knows (a roster's <c>rowErrors</c>).</summary>
    public JsonElement? Body { get; init; }

    /// <summary>The messages for one field (case-insensitive, as services name fields in camelCase), or null.</summary>
    public string? For(string field) =>
        Errors.FirstOrDefault(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } messages
            ? string.Join(" ", messages)
            : null;

    /// <summary>The detail, else the title: one line for a snackbar or an alert.</summary>
    public string Message => string.IsNullOrWhiteSpace(Detail) ? Title : Detail!;

    public static ApiProblem Unreachable(string what) =>
        new(503, "The service could not be reached.", what, "unreachable", new Dictionary<string, string[]>(), null);

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var title = response.ReasonPhrase ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? detail = null, code = null, traceId = null;
        JsonElement? body = null;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length > 0 && text.TrimStart().StartsWith('{'))
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                body = root.Clone();
                title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : title;
                detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                // The services name a refusal's kind in "reason" (wrong-session, unpaid, code-revoked...); "code" elsewhere.
                code = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()
                    : root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                traceId = root.TryGetProperty("traceId", out var tr) && tr.ValueKind == JsonValueKind.String ? tr.GetString() : null;
                if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in e.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? [.. field.Value.EnumerateArray().Select(m => m.ToString())]
                            : [field.Value.ToString()];
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a ProblemDetails body (a proxy's HTML page, say): the status line is all there is.
        }

        return new ApiProblem(status, title, detail, code, errors, traceId) { Body = body };
    }
}

/// <summary>A call's outcome: the value, or the problem the service answered with.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem, HttpStatusCode Status)
{
    public bool Ok => Problem is null;
}
