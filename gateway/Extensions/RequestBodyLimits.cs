using Microsoft.AspNetCore.Http.Features;

namespace Capture.Gateway.Extensions;

/// <summary>
/// Kestrel's default body limit (30 MB) is right for every API but two kinds of upload, which may send more through
/// the gateway; the service behind checks its own limit again (the same number) and answers 413 with the reason:
/// <list type="bullet">
/// <item><c>POST /api/capture/stations/{id}/photos</c>: up to <see cref="PhotoUploadLimit"/> (a 50-megapixel camera JPEG
/// is larger than 30 MB; CaptureIngest's 60 MB plus the multipart envelope).</item>
/// <item><c>POST /api/registration/campaigns/{id}/roster</c> and <c>.../roster/file</c>: up to <see cref="RosterUploadLimit"/>
/// (Registration's documented 32 MB roster, JSON or a spreadsheet, plus the multipart envelope).</item>
/// </list>
/// Keep in step with the Ingress's proxy-body-size (deploy/), which lets the largest of them through.
/// </summary>
public static class RequestBodyLimits
{
    public const long MultipartAllowance = 64 * 1024;

    public const long PhotoUploadLimit = 60L * 1024 * 1024 + MultipartAllowance;

    public const long RosterUploadLimit = 32L * 1024 * 1024 + MultipartAllowance;

    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (LimitFor(context.Request) is { } bytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = bytes;
        }

        await next(context);
    });

    /// <summary>The raised limit of an upload route, or null for Kestrel's default.</summary>
    public static long? LimitFor(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["api", "capture", "stations", _, "photos"] => PhotoUploadLimit,
            ["api", "registration", "campaigns", _, "roster"] or ["api", "registration", "campaigns", _, "roster", "file"] => RosterUploadLimit,
            _ => null,
        };
    }
}
