using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;

namespace Capture.Web.Infrastructure;

/// <summary>
/// The pages' only way to the services: the gateway's public APIs, with the signed-in person's own token (kept in their
/// sign-in cookie as the <see cref="WebClaims.AccessToken"/> claim). No page reads a service's database.
/// Scoped to the circuit (or the request), so the token is always the current user's.
/// </summary>
public sealed class GatewayClient(HttpClient http, AuthenticationStateProvider authentication, SessionTokens tokens)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri BaseAddress => http.BaseAddress!;

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Get, path, null, ct);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body = null, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body, options: Json), ct);

    public Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Put, path, JsonContent.Create(body, options: Json), ct);

    public Task<ApiResult<T>> DeleteAsync<T>(string path, CancellationToken ct = default) =>
        SendAsync<T>(HttpMethod.Delete, path, null, ct);

    /// <summary>Posts a file as it came from the browser (streamed, never buffered whole here).</summary>
    public Task<ApiResult<T>> PostFileAsync<T>(string path, Stream content, string fileName, string contentType, CancellationToken ct = default)
    {
        var form = new MultipartFormDataContent();
        var file = new StreamContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return SendAsync<T>(HttpMethod.Post, path, form, ct);
    }

    /// <summary>Posts a file as the raw request body (endpoints that take the file itself, e.g. finance's card-batch result).</summary>
    public Task<ApiResult<T>> PostBytesAsync<T>(string path, Stream content, string contentType, CancellationToken ct = default)
    {
        var body = new StreamContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        return SendAsync<T>(HttpMethod.Post, path, body, ct);
    }

    /// <summary>A download (xlsx, csv, an image) as bytes with its content type, for a page to hand to the browser.</summary>
    public async Task<ApiResult<(byte[] Bytes, string ContentType)>> GetBytesAsync(string path, long maxBytes, CancellationToken ct = default)
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new(default, await ApiProblem.ReadAsync(response, ct), response.StatusCode);
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return new(default, new ApiProblem(413, "Too large to show here.", $"Over {maxBytes / 1024 / 1024} MB: download it through the API.", "too-large", new Dictionary<string, string[]>(), null), response.StatusCode);
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            return new((bytes, response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream"), null, response.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            return new(default, ApiProblem.Unreachable(ex.Message), System.Net.HttpStatusCode.ServiceUnavailable);
        }
    }

    /// <summary>An open response stream (Server-Sent Events); the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken ct)
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (!string.IsNullOrEmpty(lastEventId))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = await RequestAsync(method, path);
        request.Content = content;
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new(default, await ApiProblem.ReadAsync(response, ct), response.StatusCode);
            }

            if (typeof(T) == typeof(JsonElement) || response.Content.Headers.ContentLength != 0)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (text.Length > 0)
                {
                    return new(JsonSerializer.Deserialize<T>(text, Json), null, response.StatusCode);
                }
            }

            return new(default, null, response.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            return new(default, ApiProblem.Unreachable(ex.Message), System.Net.HttpStatusCode.ServiceUnavailable);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(default, ApiProblem.Unreachable("The gateway did not answer in time."), System.Net.HttpStatusCode.GatewayTimeout);
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        var state = await authentication.GetAuthenticationStateAsync();
        if (await tokens.AccessTokenAsync(state.User, CancellationToken.None) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
