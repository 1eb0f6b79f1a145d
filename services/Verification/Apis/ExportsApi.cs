using System.Security.Claims;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Apis;

/// <summary>
/// CHSI export batches: a school asks for the zip of a campaign's (or one college's) verified students; it is built in
/// the background (asking twice at once gives one batch), then downloaded through a short-lived URL (audited).
/// </summary>
public static class ExportsApi
{
    public static RouteGroupBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(VerificationDbContext.RoutePrefix).WithTags("CHSI export").RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapPost("/campaigns/{campaignId:guid}/exports", StartAsync).WithName("StartExport")
            .WithSummary("Starts a CHSI export batch (202; the same set already being built answers that batch). Who may call: school-admin (own school), ops (give schoolCode).");
        group.MapGet("/campaigns/{campaignId:guid}/exports", ListAsync).WithName("ListExports")
            .WithSummary("The campaign's export batches, newest first.");
        group.MapGet("/delivery-summary", DeliverySummaryAsync).WithName("DeliverySummary")
            .WithSummary("The provider's delivery summary per school and campaign: photos accepted, confirmed, disputed, expired, withdrawn, and the latest ready export batch. Who may call: ops (all schools, or schoolCode=), school-admin (own school).");
        group.MapGet("/exports/{batchId:guid}", GetAsync).WithName("GetExport")
            .WithSummary("One batch: state, counts, SHA-256 of the zip, and every student left out with why.");
        group.MapGet("/exports/{batchId:guid}/download", DownloadAsync).WithName("DownloadExport")
            .WithSummary("A presigned URL (valid for minutes) to the batch's zip; audited. 409 while it is being built.");
        return group;
    }

    /// <summary>Body of an export request: one college or the whole campaign; files named by <c>id-number</c> (default) or <c>student-number</c>.</summary>
    public sealed record ExportRequest(string? CollegeCode, string? Naming, bool? IncludeExpiredUnverified, string? SchoolCode);

    public sealed record ExportProblemView(Guid RegistrationId, string StudentNumber, string CollegeCode, string Kind, string Detail);

    public sealed record ExportView(
        Guid BatchId, Guid CampaignId, string SchoolCode, string? CollegeCode, string Naming, bool IncludeExpiredUnverified, string State,
        string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt, string? Sha256, long SizeBytes, int PhotoCount, int ProblemCount,
        string? Failure, int Attempts, IReadOnlyList<ExportProblemView>? Problems)
    {
        public static ExportView From(ExportBatch b, IReadOnlyList<ExportProblem>? problems = null) => new(
            b.Id, b.CampaignId, b.SchoolCode, b.CollegeCode.Length > 0 ? b.CollegeCode : null, b.Naming, b.IncludeExpired, b.State.ToString().ToLowerInvariant(),
            b.RequestedBy, b.RequestedAt.ToShanghai(), b.FinishedAt?.ToShanghai(), b.Sha256, b.SizeBytes, b.PhotoCount, b.ProblemCount, b.Failure, b.Attempts,
            problems?.Select(p => new ExportProblemView(p.RegistrationId, p.StudentNumber, p.CollegeCode, p.Kind, p.Detail)).ToList());
    }

    private static async Task<Results<Accepted<ExportView>, ValidationProblem, ProblemHttpResult>> StartAsync(
        Guid campaignId, ExportRequest? request, ClaimsPrincipal user, [AsParameters] VerificationServices s, ExportWorker worker, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        request ??= new ExportRequest(null, null, null, null);
        var naming = (request.Naming ?? ExportNaming.IdNumber).Trim().ToLowerInvariant();
        if (!ExportNaming.All.Contains(naming))
        {
            return Problems.Invalid("naming", "Name files by \"id-number\" (CHSI's collector, the default) or \"student-number\".");
        }

        var college = request.CollegeCode?.Trim() ?? "";
        if (college.Length > Limits.CollegeCode)
        {
            return Problems.Invalid("collegeCode", $"A college code has at most {Limits.CollegeCode} characters; leave it out for the whole campaign.");
        }

        string school;
        if (user.IsOpsRole())
        {
            if (request.SchoolCode?.Trim() is not { Length: > 0 and <= Limits.SchoolCode } given)
            {
                return Problems.Invalid("schoolCode", "Ops export for one school: give its school code (at most 16 characters).");
            }

            school = given;
        }
        else
        {
            school = user.School()!;
        }

        var lower = school.ToLowerInvariant();
        if (!await s.Db.Tasks.AnyAsync(t => t.CampaignId == campaignId && t.SchoolCode.ToLower() == lower && (college.Length == 0 || t.CollegeCode == college), ct))
        {
            return Problems.NotFound($"No verification tasks of campaign {campaignId}{(college.Length > 0 ? $" and college {college}" : "")} in school {school}.");
        }

        var batch = new ExportBatch
        {
            CampaignId = campaignId, SchoolCode = school, CollegeCode = college, Naming = naming, IncludeExpired = request.IncludeExpiredUnverified ?? false,
            RequestedBy = user.Actor(), RequestedAt = s.Time.GetUtcNow(),
        };
        s.Db.Exports.Add(batch);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            s.Db.ChangeTracker.Clear();
            var running = await s.Db.Exports.AsNoTracking().Where(b => b.CampaignId == campaignId && b.SchoolCode == school && b.CollegeCode == college
                    && b.Naming == naming && b.IncludeExpired == batch.IncludeExpired)
                .OrderByDescending(b => b.RequestedAt).FirstAsync(ct); // in flight, or finished since the insert collided: that batch
            return TypedResults.Accepted($"{VerificationDbContext.RoutePrefix}/exports/{running.Id}", ExportView.From(running));
        }

        worker.Enqueue(batch.Id, batch.RequestedAt);
        return TypedResults.Accepted($"{VerificationDbContext.RoutePrefix}/exports/{batch.Id}", ExportView.From(batch));
    }

    private static async Task<Results<Ok<List<ExportView>>, ProblemHttpResult>> ListAsync(Guid campaignId, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var query = s.Db.Exports.AsNoTracking().Where(b => b.CampaignId == campaignId);
        if (!user.IsOpsRole())
        {
            var school = user.School()!.ToLowerInvariant();
            query = query.Where(b => b.SchoolCode.ToLower() == school);
        }

        var batches = await query.OrderByDescending(b => b.RequestedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(batches.Select(b => ExportView.From(b)).ToList());
    }

    public sealed record DeliveryLine(
        string SchoolCode, Guid CampaignId, int PhotosAccepted, int Confirmed, int Disputed, int ExpiredUnverified, int Open, int Withdrawn,
        Guid? LastBatchId, DateTimeOffset? LastBatchAt, int? LastBatchPhotos, int? LastBatchProblems);

    private static async Task<Results<Ok<List<DeliveryLine>>, ValidationProblem, ProblemHttpResult>> DeliverySummaryAsync(
        string? schoolCode, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        if (schoolCode is { Length: > Limits.SchoolCode })
        {
            return Problems.Invalid("schoolCode", $"A school code has at most {Limits.SchoolCode} characters.");
        }

        var school = user.IsOpsRole() ? schoolCode?.Trim().ToLowerInvariant() : user.School()!.ToLowerInvariant();
        var tasks = s.Db.Tasks.AsNoTracking().Where(t => t.PhotoId != null);
        var batches = s.Db.Exports.AsNoTracking().Where(b => b.State == ExportState.Ready);
        if (!string.IsNullOrEmpty(school))
        {
            tasks = tasks.Where(t => t.SchoolCode.ToLower() == school);
            batches = batches.Where(b => b.SchoolCode.ToLower() == school);
        }

        var rows = await tasks.GroupBy(t => new { t.SchoolCode, t.CampaignId, t.State, t.Withdrawn })
            .Select(g => new { g.Key.SchoolCode, g.Key.CampaignId, g.Key.State, g.Key.Withdrawn, Count = g.Count() }).ToListAsync(ct);
        var last = (await batches.OrderByDescending(b => b.FinishedAt).Take(5000).ToListAsync(ct))
            .GroupBy(b => (b.SchoolCode.ToLowerInvariant(), b.CampaignId)).ToDictionary(g => g.Key, g => g.First());
        var lines = rows.GroupBy(r => (r.SchoolCode, r.CampaignId)).OrderBy(g => g.Key.SchoolCode, StringComparer.Ordinal).ThenBy(g => g.Key.CampaignId).Select(g =>
        {
            int Of(params TaskState[] states) => g.Where(r => !r.Withdrawn && states.Contains(r.State)).Sum(r => r.Count);
            last.TryGetValue((g.Key.SchoolCode.ToLowerInvariant(), g.Key.CampaignId), out var batch);
            return new DeliveryLine(g.Key.SchoolCode, g.Key.CampaignId, g.Sum(r => r.Count), Of(TaskState.Confirmed), Of(TaskState.DisputedPhoto, TaskState.DisputedData),
                Of(TaskState.ExpiredUnverified), Of(TaskState.Open), g.Where(r => r.Withdrawn).Sum(r => r.Count),
                batch?.Id, batch?.FinishedAt?.ToShanghai(), batch?.PhotoCount, batch?.ProblemCount);
        }).Take(Limits.MaxPageSize).ToList();
        return TypedResults.Ok(lines);
    }

    private static async Task<Results<Ok<ExportView>, ProblemHttpResult>> GetAsync(Guid batchId, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var batch = await s.Db.Exports.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || !user.MayActForSchool(batch.SchoolCode))
        {
            return Problems.NotFound($"No export batch {batchId} in your scope.");
        }

        var problems = await s.Db.ExportProblems.AsNoTracking().Where(p => p.BatchId == batchId).OrderBy(p => p.CollegeCode).ThenBy(p => p.StudentNumber).Take(10_000).ToListAsync(ct);
        return TypedResults.Ok(ExportView.From(batch, problems));
    }

    private static async Task<Results<Ok<PresignedUrl>, ProblemHttpResult>> DownloadAsync(
        Guid batchId, ClaimsPrincipal user, HttpContext http, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var batch = await s.Db.Exports.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || !user.MayActForSchool(batch.SchoolCode))
        {
            return Problems.NotFound($"No export batch {batchId} in your scope.");
        }

        if (batch.State != ExportState.Ready || batch.ObjectKey is null)
        {
            return Problems.Conflict(batch.State == ExportState.Failed
                ? $"This batch failed ({batch.Failure}): start a new export."
                : "This batch is still being built: ask again in a moment.", batch.State.ToString().ToLowerInvariant());
        }

        var now = s.Time.GetUtcNow();
        var lifetime = s.Options.Value.PresignedUrlLifetime;
        var url = await s.Storage.PresignGetAsync(ExportBuilder.Bucket, batch.ObjectKey, lifetime);
        s.Db.PhotoAccesses.Add(new PhotoAccess { At = now, Actor = user.Actor(), SchoolCode = batch.SchoolCode, What = "export", BatchId = batch.Id, RemoteAddress = http.RemoteAddress() });
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PresignedUrl(url, (now + lifetime).ToShanghai()));
    }
}
