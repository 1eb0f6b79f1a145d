using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Capture.Testing;

namespace Capture.CaptureIngest.Tests;

/// <summary>CaptureIngest's JSON endpoints take at most ServiceDefaults' 1 MB (photo uploads have their own 60 MB, see UploadTests).</summary>
public sealed class BodyLimitTests(CaptureIngestApp app) : IClassFixture<CaptureIngestApp>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bind_request_over_1_MB_is_413_naming_the_limit(bool declared)
    {
        var body = new RepeatedBodyStream($"{{\"registrationId\":\"{Guid.NewGuid()}\",\"reason\":\"", "错", 400_000, "\"}");
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (declared)
        {
            content.Headers.ContentLength = body.BodyLength;
        }

        using var ops = app.Ops();
        using var response = await ops.PostAsync($"/api/capture/photos/{Guid.NewGuid()}/bind", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("at most 1 MB", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
