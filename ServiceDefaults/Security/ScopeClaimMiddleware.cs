using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Capture.ServiceDefaults.Security;

/// <summary>
/// A token whose role needs a scoping claim it does not carry (college staff without <c>college</c>, a school admin,
/// student or integration client without <c>school</c>, a station operator without a <c>venue</c> id) is refused with 403
/// naming the claim, before any endpoint runs: a missing claim never reads as "all colleges" or "every school".
/// </summary>
public static class ScopeClaimMiddleware
{
    public static IApplicationBuilder UseScopeClaims(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.MissingScopeClaim() is { } claim)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            var problems = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Token without its scope",
                Detail = $"Your token's role needs a '{claim}' claim and has none: ask for a token issued for your {claim}. Nothing was read or changed.",
            };
            if (problems is null || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            {
                await context.Response.WriteAsJsonAsync(problem);
            }

            return;
        }

        await next(context);
    });
}
