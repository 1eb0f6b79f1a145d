using System.Security.Claims;
using System.Text.Json.Serialization;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Spreadsheets;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.Apis;

/// <summary>Body of the REST roster import: the students, and whether to import the valid rows when some are bad.</summary>
public sealed record RosterUpload(IReadOnlyList<RosterStudent?>? Students, bool OnlyValidRows = false)
{
    /// <summary>More than <see cref="RosterImporter.MaxRows"/> students were sent: reading stopped at the first one past it.</summary>
    [JsonIgnore]
    public bool TooMany { get; init; }

    /// <summary>
    /// Read as a stream, one student at a time: reading stops at student <see cref="RosterImporter.MaxRows"/> + 1, so a
    /// body of millions of tiny rows never becomes millions of objects.
    /// </summary>
    public static async ValueTask<RosterUpload?> BindAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = await JsonArrayBody.ReadAsync<RosterStudent>(
            http.Request, "students", RosterImporter.MaxRows, [nameof(OnlyValidRows)], options, http.RequestAborted);
        return new RosterUpload(body.Items, body.Bool(nameof(OnlyValidRows)) ?? false) { TooMany = body.TooMany };
    }
}

/// <summary>
/// Roster import, the university integration: a REST bulk upsert by the university's system, and a spreadsheet upload
/// (CSV UTF-8/GBK, .xlsx, .xls) by the school admin or a college secretary for their own college.
/// </summary>
public static class RosterApi
{
    /// <summary>The documented limit of a roster: a file, or the JSON of a REST import.</summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    /// <summary>A file's multipart envelope (boundaries, part headers) on top of the file itself.</summary>
    public const long MultipartAllowance = 64 * 1024;

    /// <summary>What a roster sheet may hold: 20,000 students, 256 columns, and the zip-bomb and record caps of every sheet.</summary>
    public static readonly SheetLimits RosterLimits = SheetLimits.Default with
    {
        MaxRows = RosterImporter.MaxRows,
        MaxCells = RosterImporter.MaxRows * 50,
        Document = "roster",
        RowNoun = "students",
    };

    private const string SplitAdvice = "Split the roster into files or calls of at most 20,000 students each.";

    public static RouteGroupBuilder MapRosterApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(RegistrationDbContext.RoutePrefix + "/campaigns/{campaignId:guid}/roster").WithTags("Roster");
        group.MapPost("", ImportJsonAsync).WithName("ImportRoster")
            .WithSummary("Upsert up to 20,000 students by student number (a body of at most 32 MB, read as a stream: reading stops at student 20,001); idempotent. With bad rows nothing is imported unless onlyValidRows is true.")
            .Accepts<RosterUpload>("application/json")
            .WithRequestBodyLimit(MaxFileBytes, SplitAdvice)
            .RequireRoles(CaptureRoles.IntegrationClient, CaptureRoles.SchoolAdmin);
        group.MapPost("/file", ImportFileAsync).WithName("ImportRosterFile")
            .WithSummary("Upload a roster sheet (CSV in UTF-8 or GBK, .xlsx, .xls; at most 32 MB) as multipart field 'file'; college staff for their own college only.")
            .WithRequestBodyLimit(MaxFileBytes + MultipartAllowance, SplitAdvice)
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff)
            .DisableAntiforgery();
        return group;
    }

    private static async Task<Results<Ok<RosterImportReport>, ValidationProblem, ProblemHttpResult>> ImportJsonAsync(
        Guid campaignId, RosterUpload upload, ClaimsPrincipal user, RegistrationDbContext db, RosterImporter importer, CancellationToken ct)
    {
        if (upload.TooMany)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    ["students"] = [$"More than {RosterImporter.MaxRows} students were sent; at most {RosterImporter.MaxRows} are accepted in one call (reading stopped at student {RosterImporter.MaxRows + 1}): {SplitAdvice}"],
                },
                detail: $"At most {RosterImporter.MaxRows} students per call; nothing was imported.");
        }

        if (upload.Students is not { Count: > 0 } students)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["students"] = ["Send at least one student."] });
        }

        var lines = students.Select((s, i) => new RosterLine(i + 1, s ?? new RosterStudent(null, null, null, null, null, null, null, null, null, null, null, null, null))).ToList();
        return await RunAsync(campaignId, lines, JsonName, [], upload.OnlyValidRows, user, db, importer, ct);
    }

    private static async Task<Results<Ok<RosterImportReport>, ValidationProblem, ProblemHttpResult>> ImportFileAsync(
        Guid campaignId, IFormFile? file, bool? onlyValidRows, ClaimsPrincipal user, RegistrationDbContext db, RosterImporter importer, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Attach the roster as the multipart form field 'file'."] });
        }

        if (file.Length > MaxFileBytes)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "File too large",
                detail: $"The file is larger than {MaxFileBytes / 1024 / 1024} MB: {SplitAdvice}");
        }

        // The form reader has buffered the upload (in memory up to 64 KB, then in a temporary file): read it from there,
        // never as one byte array.
        Sheet? sheet;
        string? readError;
        await using (var content = file.OpenReadStream())
        {
            (sheet, readError) = SpreadsheetReader.Read(content, RosterLimits);
        }

        if (sheet is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [readError!] });
        }

        var caller = Caller.From(user);
        var (mapped, errors) = RosterSheet.Map(sheet, collegeCodeMayBeMissing: caller.Role == CaptureRoles.CollegeStaff);
        if (mapped is null)
        {
            return TypedResults.ValidationProblem(errors!);
        }

        if (mapped.Lines.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file has a header row but no students."] });
        }

        return await RunAsync(campaignId, mapped.Lines, mapped.Label, mapped.IgnoredColumns, onlyValidRows ?? false, user, db, importer, ct);
    }

    private static async Task<Results<Ok<RosterImportReport>, ValidationProblem, ProblemHttpResult>> RunAsync(
        Guid campaignId, IReadOnlyList<RosterLine> lines, Func<RosterField, string> label, IReadOnlyList<string> ignored, bool onlyValidRows,
        ClaimsPrincipal user, RegistrationDbContext db, RosterImporter importer, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (await CampaignsApi.FindAsync(db, campaignId, caller, ct) is not { } campaign)
        {
            return Problems.NotFound("campaign");
        }

        if (campaign.IsClosed)
        {
            return Problems.Conflict($"Campaign {campaign.Cohort} is closed: rosters can no longer be imported into it.");
        }

        var importCaller = new ImportCaller(caller.Actor, caller.Role == CaptureRoles.CollegeStaff ? caller.College : null);
        RosterImportReport report;
        try
        {
            report = await importer.ImportAsync(campaign, lines, label, importCaller, onlyValidRows, ignored, ct);
        }
        catch (Exception e) when (RosterImporter.IsConflict(e))
        {
            return Problems.Conflict("Another import changed the same students at the same moment: send the roster again (re-sending is safe).");
        }

        if (report.Imported)
        {
            return TypedResults.Ok(report);
        }

        var errors = report.Errors
            .GroupBy(e => $"line {e.Line}: {e.Field}")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        var validRows = report.Received - report.Refused;
        return TypedResults.ValidationProblem(
            errors,
            detail: $"{report.Refused} of {report.Received} rows have errors, so nothing was imported. Fix the rows listed, or send again with onlyValidRows=true to import the {validRows} valid rows now.",
            title: "The roster has rows with errors",
            extensions: new Dictionary<string, object?> { ["rowErrors"] = report.Errors, ["report"] = report });
    }

    private static string JsonName(RosterField field) => field switch
    {
        RosterField.StudentNumber => "studentNumber",
        RosterField.Name => "name",
        RosterField.IdType => "idType",
        RosterField.IdNumber => "idNumber",
        RosterField.DegreeLevel => "degreeLevel",
        RosterField.StudyMode => "studyMode",
        RosterField.CollegeCode => "collegeCode",
        RosterField.CollegeName => "collegeName",
        RosterField.Major => "major",
        RosterField.ClassName => "className",
        RosterField.Campus => "campus",
        RosterField.Cohort => "cohort",
        RosterField.PreviouslyCaptured => "previouslyCaptured",
        _ => field.ToString(),
    };
}
