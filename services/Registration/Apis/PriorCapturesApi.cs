using System.Security.Claims;
using System.Text.Json.Serialization;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Capture.ServiceDefaults.Validation;

namespace Capture.Registration.Apis;

public sealed record PriorCaptureItem([PlainText(40)] string? IdType, [PlainText(32)] string? IdNumber, [PlainText(16)] string? DegreeLevel, [PlainText(200)] string? Note);

public sealed record PriorCaptureUpload(IReadOnlyList<PriorCaptureItem?>? Captures)
{
    /// <summary>More than <see cref="RosterImporter.MaxRows"/> captures were sent: reading stopped at the first one past it.</summary>
    [JsonIgnore]
    public bool TooMany { get; init; }

    /// <summary>Read as a stream, one capture at a time, stopping at capture <see cref="RosterImporter.MaxRows"/> + 1.</summary>
    public static async ValueTask<PriorCaptureUpload?> BindAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = await JsonArrayBody.ReadAsync<PriorCaptureItem>(http.Request, "captures", RosterImporter.MaxRows, [], options, http.RequestAborted);
        return new PriorCaptureUpload(body.Items) { TooMany = body.TooMany };
    }
}

public sealed record PriorCaptureReport(int Recorded, int AlreadyKnown);

/// <summary>
/// Earlier captures the school knows of (earlier years, another provider): a student with one for a degree level is
/// refused when a roster registers them again for that level.
/// </summary>
public static class PriorCapturesApi
{
    public const long MaxBodyBytes = 8L * 1024 * 1024;

    public static IEndpointRouteBuilder MapPriorCapturesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(RegistrationDbContext.RoutePrefix + "/prior-captures", RecordAsync).WithTags("Eligibility").WithName("RecordPriorCaptures")
            .WithSummary("Record students already captured for a degree level (by ID number), up to 20,000 in a body of at most 8 MB; idempotent. Each school's records are its own.")
            .Accepts<PriorCaptureUpload>("application/json")
            .WithRequestBodyLimit(MaxBodyBytes, "Send at most 20,000 captures per call.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.IntegrationClient);
        return app;
    }

    private static async Task<Results<Ok<PriorCaptureReport>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        PriorCaptureUpload body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(user.School()))
        {
            return TypedResults.Problem("Your token carries no 'school' claim (学校代码).", statusCode: StatusCodes.Status403Forbidden);
        }

        var errors = new Dictionary<string, string[]>();
        if (body.TooMany || body.Captures is not { Count: > 0 and <= RosterImporter.MaxRows })
        {
            errors["captures"] = [$"Give from 1 to {RosterImporter.MaxRows} captures."];
            return TypedResults.ValidationProblem(errors);
        }

        var items = new List<(string Id, string Degree, string? Note)>();
        for (var i = 0; i < body.Captures.Count; i++)
        {
            var item = body.Captures[i] ?? new PriorCaptureItem(null, null, null, null);
            var type = IdDocumentType.Parse(item.IdType);
            var check = type is null ? new IdDocumentCheck(null, $"Unknown ID type: use one of {IdDocumentType.Choices}.") : IdDocumentValidator.Validate(type, item.IdNumber);
            var degree = DegreeLevels.Parse(item.DegreeLevel);
            if (!check.IsValid)
            {
                errors[$"captures[{i}].idNumber"] = [check.Error!];
            }

            if (degree is null)
            {
                errors[$"captures[{i}].degreeLevel"] = [$"Use one of {DegreeLevels.Choices}."];
            }

            if (check.IsValid && degree is not null)
            {
                items.Add((check.Number!, degree, item.Note?.Trim()));
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var ids = items.Select(i => i.Id).Distinct().ToList();
        var school = user.School()!;
        var known = (await db.PriorCaptures.AsNoTracking().Where(p => p.SchoolCode == school && ids.Contains(p.IdNumber)).Select(p => new { p.IdNumber, p.DegreeLevel }).ToListAsync(ct))
            .Select(p => (p.IdNumber, p.DegreeLevel)).ToHashSet();
        var now = clock.GetUtcNow();
        var fresh = items.DistinctBy(i => (i.Id, i.Degree)).Where(i => !known.Contains((i.Id, i.Degree))).ToList();
        db.PriorCaptures.AddRange(fresh.Select(i => PriorCapture.Record(i.Id, i.Degree, school, "reported", i.Note, now)));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PriorCaptureReport(fresh.Count, items.Count - fresh.Count));
    }
}
