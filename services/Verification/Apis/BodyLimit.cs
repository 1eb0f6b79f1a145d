using Capture.Verification.Domain;
using Microsoft.AspNetCore.Http.Features;

namespace Capture.Verification.Apis;

/// <summary>Every Verification body is small JSON: anything over <see cref="Limits.MaxBodyBytes"/> is refused (413) before it is read.</summary>
public static class BodyLimit
{
    public static WebApplication UseBodyLimit(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            // A declared length over the limit is answered at once, and the server's own limit is left as it is, so that
            // Kestrel reads the unread body away and keeps the connection: lowering it first would make Kestrel close the
            // connection while the gateway is still sending, and the caller would see the gateway's 502 instead of this 413.
            if (http.Request.ContentLength > Limits.MaxBodyBytes)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                    detail: $"Send at most {Limits.MaxBodyBytes / 1024} KB of JSON.").ExecuteAsync(http);
                return;
            }

            // A body without a declared length (chunked) is counted while it is read.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = Limits.MaxBodyBytes;
            }

            await next(http);
        });
        return app;
    }
}
