using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Capture.ServiceDefaults.Http;
using Capture.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Capture.ServiceDefaults.Tests.Http;

/// <summary>
/// ServiceDefaults' body limits on real Kestrel: JSON endpoints get 1 MB unless they declare their own, a declared
/// length over it is 413 at once and an undeclared (chunked) body is stopped at it, and raw-body endpoints keep the
/// server's limit and their own checks.
/// </summary>
public sealed class BodyLimitsTests : IAsyncLifetime
{
    public sealed record Note(string? Text);

    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        app = builder.Build();
        app.UseExceptionHandler();
        app.UseBodyLimits();
        app.MapPost("/notes", (Note note) => Results.Ok(note.Text?.Length ?? 0));
        app.MapPost("/big-notes", (Note note) => Results.Ok(note.Text?.Length ?? 0)).WithRequestBodyLimit(3 * 1024 * 1024, "Split it.");
        app.MapPost("/raw", async (HttpRequest request) =>
        {
            var total = 0L;
            var buffer = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            return Results.Ok(total);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static StreamContent Json(long characters, bool declared)
    {
        var stream = new RepeatedBodyStream("{\"text\":\"", "x", characters, "\"}");
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (declared)
        {
            content.Headers.ContentLength = stream.BodyLength;
        }

        return content;
    }

    /// <summary>Posts as a careful client does with a large body (Expect: 100-continue), so a refusal arrives before the body is sent.</summary>
    private async Task<HttpResponseMessage> PostAsync(string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }

    private static async Task<string> AssertTooLargeAsync(HttpResponseMessage response, string limit)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"{(int)response.StatusCode} without a body");
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Contains($"at most {limit}", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        return problem.GetProperty("detail").GetString()!;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_json_endpoint_takes_up_to_1_MB_and_refuses_more_with_413_declared_or_chunked(bool declared)
    {
        using var fits = await PostAsync("/notes", Json(1000 * 1000, declared));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);

        // Just over the limit, so that a chunked body fits in the connection's buffers and the answer can be read.
        using var over = await PostAsync("/notes", Json(1100 * 1024, declared));
        await AssertTooLargeAsync(over, "1 MB");
    }

    [Fact]
    public async Task A_chunked_body_far_over_the_limit_is_not_read_past_it()
    {
        var stream = new RepeatedBodyStream("{\"text\":\"", "x", 200L * 1024 * 1024, "\"}");
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await PostAsync("/notes", content);
            await AssertTooLargeAsync(response, "1 MB");
        }
        catch (HttpRequestException)
        {
            // The server answered 413 and closed the connection while the client was still sending: also a refusal.
        }

        Assert.True(stream.BytesRead < 64L * 1024 * 1024, $"{stream.BytesRead} of {stream.BodyLength} bytes were sent before the server stopped reading");
    }

    [Fact]
    public async Task An_endpoint_with_its_own_limit_takes_more_and_says_what_to_do_beyond_it()
    {
        using var fits = await PostAsync("/big-notes", Json(2 * 1024 * 1024, declared: false));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);

        using var over = await PostAsync("/big-notes", Json(4 * 1024 * 1024, declared: true));
        Assert.Contains("Split it.", await AssertTooLargeAsync(over, "3 MB"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_raw_body_endpoint_keeps_the_servers_limit()
    {
        using var response = await PostAsync("/raw", Json(5 * 1024 * 1024, declared: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(long.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture) > 5 * 1024 * 1024);
    }

    [Theory]
    [InlineData(512, "512 bytes")]
    [InlineData(16 * 1024, "16 KB")]
    [InlineData(1024 * 1024, "1 MB")]
    [InlineData(32L * 1024 * 1024 + 64 * 1024, "32.06 MB")]
    public void Sizes_are_named_as_the_documentation_names_them(long bytes, string text) => Assert.Equal(text, BodyLimits.Describe(bytes));
}
