using Microsoft.AspNetCore.Http.HttpResults;

namespace Capture.Registration.Apis;

/// <summary>The ProblemDetails answers of this service, each with a detail a person can act on.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem($"There is no {what} with this id that you may see.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state");

    public static ProblemHttpResult Gone(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status410Gone, title: "Capture code no longer valid");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult ChangedMeanwhile() =>
        Conflict("Someone else changed this registration at the same moment: read it again and repeat the request if still needed.");
}
