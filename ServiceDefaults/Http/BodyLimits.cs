using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Capture.ServiceDefaults.Http;

/// <summary>
/// A route's own request body limit (endpoint metadata that ASP.NET Core's routing and <see cref="BodyLimits"/>
/// both read), with advice for a caller who sends more.
/// </summary>
public sealed record RequestBodyLimit(long Bytes, string? Advice = null) : IRequestSizeLimitMetadata
{
    long? IRequestSizeLimitMetadata.MaxRequestBodySize => Bytes;
}

/// <summary>The limit for endpoints that bind a JSON body and declare none of their own.</summary>
public sealed class RequestBodyLimitOptions
{
    public const long DefaultJsonBytes = 1024 * 1024;

    public long JsonBytes { get; set; } = DefaultJsonBytes;
}

/// <summary>
/// Request bodies are limited before they are read, the same way in every service. Every endpoint that binds a JSON
/// body gets <see cref="RequestBodyLimitOptions.JsonBytes"/> (1 MB unless the service sets its own) unless it declares
/// a <see cref="RequestBodyLimit"/> (<see cref="WithRequestBodyLimit"/>: roster uploads, for instance). The limit is
/// set on the request (<see cref="IHttpMaxRequestBodySizeFeature"/>, so Kestrel stops a chunked body at it), a
/// declared Content-Length over it is refused at once with 413 naming the limit, and the body is counted as it is read
/// (also where the server cannot enforce it, an in-process test server), so an undeclared body over it is a 413 naming
/// the limit too. Endpoints that read a raw body (photo uploads,
/// provider notifies, statement files) check their own limits and are left alone.
/// </summary>
public static class BodyLimits
{
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long bytes, string? advice = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyLimit(bytes, advice));

    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Whatever answers 413 (this middleware, the exception handler, an endpoint of its own), the answer closes the connection.
        context.Response.OnStarting(CloseWhenTooLarge, context);
        if (LimitFor(context) is not { } limit)
        {
            await next(context);
            return;
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f ? f : null;
        if (context.Request.ContentLength is { } declared && declared > limit.Bytes)
        {
            if (declared <= DrainBytes && feature is not null)
            {
                feature.MaxRequestBodySize = declared;
                await DrainAsync(context);
            }

            await WriteTooLargeAsync(context, limit, declared);
            return;
        }

        if (feature is not null)
        {
            feature.MaxRequestBodySize = limit.Bytes;
        }

        // Counted here as well: the server's own refusal (Kestrel's) surfaces inside model binding as an I/O error that
        // minimal APIs swallow, leaving a bare 413; this stream notices either way, and the caller gets the reason.
        var counted = new LimitedRequestStream(context.Request.Body, limit.Bytes);
        context.Request.Body = counted;
        await next(context);
        if (counted.Exceeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteTooLargeAsync(context, limit, null);
        }
    });

    /// <summary>
    /// Tells the caller that this connection ends with the answer (<c>Connection: close</c>, HTTP/1.x), for an answer given
    /// before the request body was read to its end: Kestrel cannot read past the body's limit to reach the next request,
    /// so it closes the connection after the answer. Without the header a client that keeps connections (HttpClient, the
    /// gateway's YARP) sends its next request on that connection as it closes, and gets no answer: a 502 at the gateway.
    /// </summary>
    public static void CloseConnection(HttpContext context)
    {
        if (!context.Response.HasStarted && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
        {
            context.Response.Headers.Connection = "close";
        }
    }

    /// <summary>
    /// A declared body over the limit but at most this size is read and dropped (never kept) before the 413: the connection
    /// stays usable, and a proxy still sending the body (the gateway's YARP) gets the answer rather than a broken pipe it
    /// would turn into a 502. A larger one is refused at once and its connection closed.
    /// </summary>
    public const long DrainBytes = 1024 * 1024;

    private static readonly object Drained = new();

    private static async Task DrainAsync(HttpContext context)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }

            context.Items[Drained] = true;
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The caller stopped sending or went away: the 413 closes the connection.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task CloseWhenTooLarge(object state)
    {
        var context = (HttpContext)state;
        if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Items.ContainsKey(Drained))
        {
            CloseConnection(context);
        }

        return Task.CompletedTask;
    }

    /// <summary>The limit in force for this request's endpoint, or null when the server's own applies.</summary>
    public static RequestBodyLimit? LimitFor(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return null;
        }

        if (endpoint.Metadata.GetMetadata<RequestBodyLimit>() is { } own)
        {
            return own;
        }

        if (endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } other)
        {
            return other.MaxRequestBodySize is { } bytes ? new RequestBodyLimit(bytes) : null;
        }

        var takesJson = endpoint.Metadata.GetOrderedMetadata<IAcceptsMetadata>()
            .Any(a => a.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)));
        return takesJson
            ? new RequestBodyLimit(context.RequestServices.GetRequiredService<IOptions<RequestBodyLimitOptions>>().Value.JsonBytes)
            : null;
    }

    /// <summary>"32 MB", "1 MB", "16 KB": sizes as the documentation states them (binary units).</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB",
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.##", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    /// <summary>What a caller over the limit is told: the limit, and what to do.</summary>
    public static string Message(RequestBodyLimit limit, long? declared = null) =>
        $"This endpoint accepts at most {Describe(limit.Bytes)} ({limit.Bytes} bytes) of request body"
        + (declared is { } size ? $"; this request declares {Describe(size)}" : "")
        + ". " + (limit.Advice ?? "Send less: see the API documentation for this endpoint.");

    private static async Task WriteTooLargeAsync(HttpContext context, RequestBodyLimit limit, long? declared)
    {
        var message = Message(limit, declared);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [message] })
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "Request too large",
            Detail = message,
        };
        var problems = context.RequestServices.GetService<IProblemDetailsService>();
        if (problems is null || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem);
        }
    }

    /// <summary>Counts what is read and stops past the limit as Kestrel does (413), also on servers without the feature.</summary>
    private sealed class LimitedRequestStream(Stream inner, long limit) : Stream
    {
        private long read;

        /// <summary>The body went past the limit (counted here, or refused by the server underneath).</summary>
        public bool Exceeded { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return Count(inner.Read(buffer, offset, count));
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return Count(await inner.ReadAsync(buffer, cancellationToken));
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            read += n;
            if (read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            }

            return n;
        }
    }
}
