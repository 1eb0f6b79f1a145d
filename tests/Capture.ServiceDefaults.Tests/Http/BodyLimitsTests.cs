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
        app.MapPost("/small-notes", (Note note) => Results.Ok(note.Text?.Length ?? 0)).WithRequestBodyLimit(4096);
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

    /// <summary>Sends requests one after another on one connection, as a proxy does; returns each status line and whether the answer said the connection closes.</summary>
    private async Task<List<string>> OnOneConnectionAsync(params (string Path, int TextLength)[] requests)
    {
        var uri = client.BaseAddress!;
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(uri.Host, uri.Port);
        var stream = socket.GetStream();
        stream.ReadTimeout = 10_000;
        var answers = new List<string>();
        foreach (var (path, length) in requests)
        {
            var body = System.Text.Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', length) + "\"}");
            var head = System.Text.Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
            await stream.WriteAsync(head);

            // The body is sent while the answer is awaited: a server may answer (and close) before it has read it.
            var sending = Task.Run(async () =>
            {
                try
                {
                    await stream.WriteAsync(body);
                }
                catch (IOException)
                {
                }
            });
            var answer = await ReadAnswerAsync(stream);
            await sending;
            answers.Add(answer ?? "no answer: the connection was closed");
            if (answer is null || answer.EndsWith("close", StringComparison.Ordinal))
            {
                break;
            }
        }

        return answers;
    }

    /// <summary>The status line of one HTTP/1.1 answer (its body read past), with " close" when it carries Connection: close; null when the connection ends first.</summary>
    private static async Task<string?> ReadAnswerAsync(Stream stream)
    {
        var data = new List<byte>();
        var one = new byte[1];
        while (!(data.Count >= 4 && data[^4] == '\r' && data[^3] == '\n' && data[^2] == '\r' && data[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            data.Add(one[0]);
        }

        var lines = System.Text.Encoding.ASCII.GetString(data.ToArray()).Split("\r\n");
        var header = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        if (header.TryGetValue("content-length", out var length))
        {
            var left = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
            var buffer = new byte[left];
            for (var read = 0; read < left;)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read));
                if (n == 0)
                {
                    return null;
                }

                read += n;
            }
        }
        else if (header.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync(stream)).Split(';')[0], 16);
                var chunk = new byte[size + 2];
                for (var read = 0; read < chunk.Length;)
                {
                    read += await stream.ReadAsync(chunk.AsMemory(read));
                }

                if (size == 0)
                {
                    break;
                }
            }
        }

        return lines[0] + (header.GetValueOrDefault("connection") == "close" ? " close" : "");

        static async Task<string> ReadLineAsync(Stream stream)
        {
            var line = new List<byte>();
            var b = new byte[1];
            while (await stream.ReadAsync(b) == 1 && b[0] != '\n')
            {
                line.Add(b[0]);
            }

            return System.Text.Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
        }
    }

    [Fact]
    public async Task A_body_a_little_over_the_limit_is_refused_and_the_connection_carries_the_next_request()
    {
        var answers = await OnOneConnectionAsync(("/small-notes", 5000), ("/small-notes", 10));
        Assert.Equal(["HTTP/1.1 413 Payload Too Large", "HTTP/1.1 200 OK"], answers);
    }

    [Fact]
    public async Task A_body_far_over_the_limit_is_refused_with_an_answer_that_says_the_connection_closes()
    {
        // Unread, the body stands between this answer and any next request: without "Connection: close" a client that
        // keeps connections would send its next request on this one as the server closes it (a 502 at the gateway).
        var answers = await OnOneConnectionAsync(("/small-notes", (int)BodyLimits.DrainBytes + 10), ("/small-notes", 10));
        Assert.Equal(["HTTP/1.1 413 Payload Too Large close"], answers);
    }

    [Theory]
    [InlineData(512, "512 bytes")]
    [InlineData(16 * 1024, "16 KB")]
    [InlineData(1024 * 1024, "1 MB")]
    [InlineData(32L * 1024 * 1024 + 64 * 1024, "32.06 MB")]
    public void Sizes_are_named_as_the_documentation_names_them(long bytes, string text) => Assert.Equal(text, BodyLimits.Describe(bytes));
}
