using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Capture.ServiceDefaults.Http;

/// <summary>ProblemDetails answers with a detail a person can act on, and a machine-readable <c>reason</c> where useful.</summary>
public static class Problems
{
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your scope", detail: detail);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Conflict(string detail, string? reason = null, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>());
        if (reason is not null)
        {
            all["reason"] = reason;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Refused", detail: detail, extensions: all);
    }

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable", detail: detail);

    public static ValidationProblem Invalid(string field, string fix) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [fix] });
}
