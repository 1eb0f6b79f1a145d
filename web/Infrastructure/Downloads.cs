using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Capture.Web.Infrastructure;

/// <summary>
/// <c>GET /download/api/...</c>: a file from a service (summary sheets, lists, export batches) passed through to the
/// browser as it streams, with the signed-in person's token, so a plain link downloads it. Only the paths below may
/// be fetched this way; the service checks the role and scope as for any call.
/// </summary>
public static partial class Downloads
{
    [GeneratedRegex(@"^api/(registration/campaigns/[0-9a-f-]{36}/summary\.(xlsx|csv)|verification/campaigns/[0-9a-f-]{36}/(unverified|print-list\.xlsx)|verification/exports/[0-9a-f-]{36}/download|payment/campaigns/[0-9a-f-]{36}/card-(refund-)?batch|payment/vouchers|payment/reconciliation/daily)$", RegexOptions.IgnoreCase)]
    private static partial Regex Allowed();

    public static IEndpointRouteBuilder MapDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/download/{**path}", async (string path, HttpContext http, IHttpClientFactory factory, IConfiguration configuration, SessionTokens tokens) =>
        {
            if (!Allowed().IsMatch(path))
            {
                return Results.Problem(statusCode: 404, title: "Not a download", detail: "Only the summary, list and export files can be downloaded here.");
            }

            if (await tokens.AccessTokenAsync(http.User, http.RequestAborted) is not { Length: > 0 } token)
            {
                return Results.Challenge();
            }

            var client = factory.CreateClient(nameof(Downloads));
            client.Timeout = Timeout.InfiniteTimeSpan;
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(WebServiceExtensions.GatewayAddress(configuration), "/" + path + http.Request.QueryString));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
            http.Response.RegisterForDispose(response);
            http.Response.RegisterForDispose(request);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await ApiProblem.ReadAsync(response, http.RequestAborted);
                return Results.Problem(statusCode: problem.Status, title: problem.Title, detail: problem.Detail);
            }

            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? path.Split('/')[^1];
            return Results.Stream(
                await response.Content.ReadAsStreamAsync(http.RequestAborted),
                response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream",
                name);
        }).RequireAuthorization();
        return app;
    }
}
