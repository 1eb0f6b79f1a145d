using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Capture.StationAgent.Core;

/// <summary>The answer to an upload: the status, and the server's photo when it stored it (201) or had it (200).</summary>
public sealed record UploadAnswer(HttpStatusCode Status, Guid? PhotoId, string? Sha256, string? Verdict, string Detail)
{
    public bool Stored => Status is HttpStatusCode.Created or HttpStatusCode.OK;

    /// <summary>
    /// A refusal of these bytes that sending again cannot change (the file stays, the operator is told). 403 and 404 are
    /// not: a token for the wrong venue is fixed by signing in again, and a new station is unknown to CaptureIngest until
    /// its StationOpened event arrives; such shots wait in the queue instead of being given up.
    /// </summary>
    public bool RefusedForGood => Status is HttpStatusCode.BadRequest
        or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity;
}

/// <summary>The answer to a scan: 201 checked in, 200 scanned before, 409 refused (reason), 503 Registration unreachable.</summary>
public sealed record CheckInAnswer(HttpStatusCode Status, JsonElement Body)
{
    public bool CheckedIn => Status is HttpStatusCode.Created or HttpStatusCode.OK;

    public string? ShootNumber => Text("shootNumber");

    public string? Reason => Text("reason");

    public string? Detail => Text("detail");

    public string? Text(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public IReadOnlyList<string> Warnings =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array
            ? [.. w.EnumerateArray().Select(x => x.GetString() ?? "")]
            : [];
}

/// <summary>
/// The agent's calls to the gateway (Scheduling check-in, CaptureIngest upload, list and accept), each with the token
/// from <see cref="ITokenSource"/> and once more with a fresh token after a 401. Network failures surface as
/// <see cref="HttpRequestException"/> for the caller to retry.
/// </summary>
public sealed class CaptureApi(HttpClient http, ITokenSource tokens)
{
    public HttpClient Http => http;

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ITokenSource Tokens => tokens;

    public async Task<UploadAnswer> UploadAsync(Guid stationId, Shot shot, byte[] body, CancellationToken ct)
    {
        var query = $"shootNumber={Uri.EscapeDataString(shot.ShootNumber!)}&shot={shot.ShotIndex}&keyframe={(shot.Keyframe ? "true" : "false")}" +
                    $"&takenAt={Uri.EscapeDataString(shot.TakenAt.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture))}";
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(shot.ContentType ?? "image/jpeg");
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/capture/stations/{stationId}/photos?{query}") { Content = content };
            request.Headers.ExpectContinue = true; // a refusal (413/415/403) comes before the body is sent
            return request;
        }, ct, timeout: Timeout.InfiniteTimeSpan);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            var photo = JsonDocument.Parse(text).RootElement;
            return new UploadAnswer(response.StatusCode, photo.GetProperty("id").GetGuid(), photo.GetProperty("sha256").GetString(),
                photo.TryGetProperty("verdict", out var v) ? v.GetString() : null, text);
        }

        return new UploadAnswer(response.StatusCode, null, null, null, ProblemText(text));
    }

    public async Task<CheckInAnswer> CheckInAsync(Guid stationId, string? captureCode, string? studentNumber, Guid? sessionId, string? overrideReason, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"/api/scheduling/stations/{stationId}/check-ins")
        {
            Content = JsonContent.Create(new { captureCode, studentNumber, sessionId, overrideReason }),
        }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new CheckInAnswer(response.StatusCode, body);
    }

    /// <summary>The station's photos of one shoot number on a Beijing day (to find a shot the server stored before the agent stopped).</summary>
    public async Task<IReadOnlyList<JsonElement>> PhotosAsync(Guid stationId, string shootNumber, DateOnly day, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get,
            $"/api/capture/stations/{stationId}/photos?shootNumber={Uri.EscapeDataString(shootNumber)}&day={day:yyyy-MM-dd}&limit=200"), ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var items = body.ValueKind == JsonValueKind.Array ? body : body.TryGetProperty("items", out var i) ? i : body;
        return [.. items.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>The stations of a venue (Scheduling's venue queues), for the operator to pick theirs.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Code, int Waiting, string? LastShootNumber)>> StationsAsync(Guid venueId, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"/api/scheduling/venues/{venueId}/queues"), ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return [.. body.GetProperty("stations").EnumerateArray().Select(x => (
            x.GetProperty("stationId").GetGuid(),
            x.GetProperty("stationCode").GetString() ?? "",
            x.GetProperty("waiting").GetInt32(),
            x.TryGetProperty("lastShootNumber", out var last) && last.ValueKind == JsonValueKind.String ? last.GetString() : null))];
    }

    public async Task<(HttpStatusCode Status, string Detail)> AcceptAsync(Guid photoId, string? overrideReason, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"/api/capture/photos/{photoId}/accept")
        {
            Content = JsonContent.Create(new { overrideReason }),
        }, ct);
        return (response.StatusCode, ProblemText(await response.Content.ReadAsStringAsync(ct)));
    }

    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, TimeSpan? timeout = null)
    {
        // Calls that read a whole answer give up after 30 s (the uploader sets a longer limit through ct); the feed has none.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (completion == HttpCompletionOption.ResponseContentRead)
        {
            limit.CancelAfter(timeout ?? CallTimeout);
        }

        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetAsync(refresh: attempt > 0, limit.Token);
            using var request = make();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await http.SendAsync(request, completion, limit.Token);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                return response;
            }

            response.Dispose();
        }
    }

    /// <summary>The ProblemDetails' detail (what to do), or the body as it came.</summary>
    public static string ProblemText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : root.TryGetProperty("title", out var t) ? t.GetString() : null;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                detail += " " + string.Join(" ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(x => $"{e.Name}: {x.GetString()}")));
            }

            return detail ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
