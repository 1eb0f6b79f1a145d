using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Capture.ServiceDefaults.Http;

/// <summary>Adds what a person or a support desk needs to every ProblemDetails: the trace id and the correlation id.</summary>
public static class ProblemDetailsDefaults
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        if (context.HttpContext.Items[CorrelationMiddleware.ItemKey] is string correlationId)
        {
            problem.Extensions["correlationId"] = correlationId;
        }

        if (problem is HttpValidationProblemDetails validation)
        {
            CamelCaseKeys(validation.Errors);
        }

        problem.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status400BadRequest when problem is HttpValidationProblemDetails =>
                "Some fields are not acceptable: 'errors' names each one and what to send instead.",
            StatusCodes.Status401Unauthorized => "Sign in first: send a bearer token in the Authorization header.",
            StatusCodes.Status403Forbidden => "Your role or scope does not allow this request.",
            StatusCodes.Status404NotFound => "Nothing exists at this address.",
            StatusCodes.Status405MethodNotAllowed =>
                $"{Shown(context.HttpContext.Request.Method)} is not allowed at this address: its OpenAPI description names the methods it takes.",
            StatusCodes.Status413PayloadTooLarge => "The body is larger than this address accepts: its OpenAPI description states the limit.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"A body of type '{Shown(context.HttpContext.Request.ContentType) ?? "none"}' is not accepted here: send one of the types this address's OpenAPI description names.",
            _ => null,
        };
    }

    /// <summary>A caller's header as it may be echoed back: printable characters only, at most 100 of them.</summary>
    private static string? Shown(string? value) =>
        string.IsNullOrEmpty(value) ? null : new string(value.Where(c => !char.IsControl(c)).Take(100).ToArray());

    /// <summary>
    /// Error keys as the JSON names a client sent: .NET's minimal-API validation names C# members (<c>SchoolName</c>,
    /// <c>request[0].ClassName</c>); our handlers and the JSON use camelCase (<c>schoolName</c>, <c>request[0].className</c>).
    /// </summary>
    private static void CamelCaseKeys(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(part => part.Length > 0 && char.IsAsciiLetterUpper(part[0]) ? char.ToLowerInvariant(part[0]) + part[1..] : part));
            if (camel != key)
            {
                var messages = errors[key];
                errors.Remove(key);
                errors[camel] = errors.TryGetValue(camel, out var existing) ? [.. existing, .. messages] : messages;
            }
        }
    }
}
