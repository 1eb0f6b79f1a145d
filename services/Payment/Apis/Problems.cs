using Microsoft.AspNetCore.Http.HttpResults;

namespace Capture.Payment.Apis;

/// <summary>ProblemDetails answers with a detail a person can act on, and a machine-readable <c>reason</c> where useful.</summary>
public static class Problems
{
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your scope", detail: detail);

    public static ProblemHttpResult MissingClaim(string claim) =>
        Forbidden($"Your token has no '{claim}' claim, which your role needs to say whose payments you may see; ask for a token that carries it.");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Conflict(string detail, string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Refused", detail: detail, extensions: new Dictionary<string, object?> { ["reason"] = reason });

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable", detail: detail);

    /// <summary>A file refused whole: every problem by line, under <c>errors.file</c>.</summary>
    public static ProblemHttpResult FileNotApplied(IReadOnlyCollection<string> errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The result file was not applied",
            detail: $"{errors.Count} line(s) need fixing; nothing was applied. Correct them and import the whole file again.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = [.. errors.Take(200)] } });

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large", detail: detail);

    public static ProblemHttpResult Invalid(string field, string fix) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "One or more validation errors occurred.",
            detail: $"{field}: {fix}",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [fix] } });
}
