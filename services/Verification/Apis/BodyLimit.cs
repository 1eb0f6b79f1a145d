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
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = Limits.MaxBodyBytes;
            }

            if (http.Request.ContentLength > Limits.MaxBodyBytes)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                    detail: $"Send at most {Limits.MaxBodyBytes / 1024} KB of JSON.").ExecuteAsync(http);
                return;
            }

            await next(http);
        });
        return app;
    }
}
