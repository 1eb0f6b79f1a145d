using Microsoft.AspNetCore.Http.Features;

namespace Capture.Gateway.Extensions;

/// <summary>
/// Kestrel's default body limit (30 MB) is right for every API but photo uploads: a 50-megapixel camera JPEG is larger.
/// Only <c>POST /api/capture/stations/{id}/photos</c> may send up to <see cref="PhotoUploadLimit"/>; CaptureIngest checks
/// its own 60 MB limit again and answers 413 with the reason. Keep in step with the Ingress's proxy-body-size (deploy/).
/// </summary>
public static class RequestBodyLimits
{
    public const long PhotoUploadLimit = 60L * 1024 * 1024 + 64 * 1024;

    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsPhotoUpload(context.Request) && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = PhotoUploadLimit;
        }

        await next(context);
    });

    public static bool IsPhotoUpload(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return false;
        }

        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["api", "capture", "stations", _, "photos"];
    }
}
