using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Capture.ServiceDefaults.Validation;

/// <summary>
/// Query-string and route values are text a caller sends as well: one with a control character (<c>%00</c> reaches
/// PostgreSQL as NUL and fails there as a 500) or longer than any of our columns is refused with a 400 naming the
/// parameter, before an endpoint runs. Bodies are checked by the request types' own attributes.
/// </summary>
public static class QueryAndRouteTextMiddleware
{
    /// <summary>Longer than any column a query or route value is compared with.</summary>
    public const int MaxValueLength = 1000;

    public static IApplicationBuilder UseQueryAndRouteTextRules(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is not null && Problem(context.Request) is ({ } field, { } message))
        {
            await Results.ValidationProblem(
                    new Dictionary<string, string[]> { [field] = [message] },
                    detail: $"'{field}' cannot be read: {message}",
                    title: "The request could not be read")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    private static (string? Field, string? Message) Problem(HttpRequest request)
    {
        foreach (var (key, values) in request.Query)
        {
            if (TextRules.CheckText(key, MaxValueLength) is { } keyProblem)
            {
                return ("query", keyProblem);
            }

            foreach (var value in values)
            {
                if (TextRules.CheckText(value, MaxValueLength) is { } problem)
                {
                    return (key, problem);
                }
            }
        }

        foreach (var (key, value) in request.RouteValues)
        {
            if (value is string text && TextRules.CheckText(text, MaxValueLength) is { } problem)
            {
                return (key, problem);
            }
        }

        return (null, null);
    }
}
