using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Capture.ServiceDefaults.Http;

/// <summary>
/// A request that does not bind (malformed JSON, a string where a number belongs, <c>2030-02-30</c>, a non-GUID id, a
/// body over the limit) is the caller's mistake: 400 (or 413) ValidationProblem naming the field and what it should be,
/// in every service and every environment, never a 500. Minimal APIs throw <see cref="BadHttpRequestException"/> for
/// these (ServiceDefaults sets <c>ThrowOnBadRequest</c>) and this handler answers them.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var (field, message) = Describe(bad);
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge && BodyLimits.LimitFor(httpContext) is { } limit)
        {
            message = BodyLimits.Message(limit);
        }
        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        httpContext.Response.StatusCode = status;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "The request could not be read",
            Detail = message,
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    public static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("body", "The request body is larger than this endpoint accepts: send less (see the API documentation for the limit).");
        }

        if (bad.InnerException is JsonException json)
        {
            var field = JsonField(json.Path);
            var what = json.Message.Split(" Path:", 2)[0];
            var message = what.Contains("could not be converted", StringComparison.Ordinal)
                ? $"'{field}' has a value of the wrong type or form ({TypeName(what, field)}): check the API documentation for this field."
                : $"The body is not valid JSON near '{field}' ({what.TrimEnd('.')}): send a well-formed JSON object.";
            return (field, message);
        }

        var parameter = ParameterPattern().Match(bad.Message);
        if (parameter.Success)
        {
            var name = parameter.Groups["name"].Value;
            var type = parameter.Groups["type"].Value;
            return (name, $"'{name}' must be a {Friendly(type)}; got \"{parameter.Groups["value"].Value}\".");
        }

        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return ("body", "The body is missing or not valid JSON: send a JSON object with Content-Type: application/json.");
        }

        return ("request", bad.Message);
    }

    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return trimmed.Length == 0 ? "body" : trimmed;
    }

    private static string TypeName(string message, string field)
    {
        var match = Regex.Match(message, @"converted to (?<type>[\w\.`\[\],]+)");
        if (!match.Success)
        {
            return "unexpected value";
        }

        var typeName = Unwrap(match.Groups["type"].Value.TrimEnd('.'));

        // With a record's constructor the message names the record, not the field: look the field's type up on it.
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        var property = type?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, field.Split('.', '[')[0], StringComparison.OrdinalIgnoreCase));
        var fieldType = property?.PropertyType;
        if (fieldType is not null)
        {
            typeName = (Nullable.GetUnderlyingType(fieldType) ?? fieldType).FullName ?? typeName;
        }

        return "expected " + Friendly(typeName);
    }

    private static string Friendly(string type) => Unwrap(NotNullable(type)).Split('.').Last().TrimEnd('?') switch
    {
        "Guid" => "GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "DateOnly" => "date yyyy-MM-dd that exists",
        "TimeOnly" => "time HH:mm between 00:00 and 23:59",
        "DateTimeOffset" or "DateTime" => "date and time in ISO 8601 with an offset",
        "Int32" or "Int64" or "Int16" or "int" or "long" or "short" => "whole number",
        "Decimal" or "Double" or "decimal" or "double" => "number",
        "Boolean" or "bool" => "true or false",
        "String" => "string",
        var other => other,
    };

    /// <summary><c>Nullable&lt;int&gt;</c> (how minimal APIs name a query parameter's type) → <c>int</c>.</summary>
    private static string NotNullable(string type) =>
        type.StartsWith("Nullable<", StringComparison.Ordinal) && type.EndsWith('>') ? type["Nullable<".Length..^1] : type;

    /// <summary><c>System.Nullable`1[System.DateOnly]</c> → <c>System.DateOnly</c>.</summary>
    private static string Unwrap(string type)
    {
        var open = type.IndexOf('[', StringComparison.Ordinal);
        return open >= 0 && type.EndsWith(']') ? type[(open + 1)..^1] : type;
    }

    [GeneratedRegex("""Failed to bind parameter "(?<type>[\w\.\?`\[\]<>]+) (?<name>\w+)" from "(?<value>[^"]*)".""")]
    private static partial Regex ParameterPattern();
}
