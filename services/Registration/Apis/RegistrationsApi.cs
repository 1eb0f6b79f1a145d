using System.Security.Claims;
using Capture.Contracts.Registration;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.Apis;

public sealed record ReasonRequest([PlainText(1000, Multiline = true)] string? Reason);

public sealed record BulkReviewRequest([PlainText(16)] string? Decision, IReadOnlyList<Guid>? RegistrationIds, [PlainText(1000, Multiline = true)] string? Reason);

public sealed record BulkReviewOutcome(Guid RegistrationId, string Result, string? Detail);

public sealed record BulkReviewReport(int Approved, int Rejected, int Unchanged, int Refused, IReadOnlyList<BulkReviewOutcome> Outcomes);

public sealed record StatusCounts(int Total, IReadOnlyDictionary<string, int> ByStatus);

public sealed record CollegeCounts(string CollegeCode, string CollegeName, int Total, IReadOnlyDictionary<string, int> ByStatus);

public sealed record CampaignCounts(
    Guid CampaignId, int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByDegreeLevel, IReadOnlyList<CollegeCounts> ByCollege);

public sealed record HistoryView(string Field, string? OldValue, string? NewValue, string ChangedBy, string Source, DateTimeOffset ChangedAt);

/// <summary>
/// Registrations for the college, the school and the university's system: paged lists, status by student number,
/// counts, per-college summaries (汇总表), the college's review one at a time or in bulk, and the school's withdrawal.
/// </summary>
public static class RegistrationsApi
{
    private static readonly string[] Staff = [CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff, CaptureRoles.IntegrationClient];
    private static readonly string[] Reviewers = [CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin];
    public const int MaxPageSize = 1000;
    public const int MaxBulk = 5000;

    public static IEndpointRouteBuilder MapRegistrationsApi(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup(RegistrationDbContext.RoutePrefix + "/campaigns/{campaignId:guid}").WithTags("Registrations");
        campaigns.MapGet("/registrations", ListAsync).WithName("ListRegistrations")
            .WithSummary("Registrations of a campaign, paged (page from 1, pageSize up to 1000), filtered by college, status, degree level; ID numbers masked.")
            .RequireRoles(Staff);
        campaigns.MapGet("/students/{studentNumber}", ByStudentNumberAsync).WithName("GetRegistrationByStudentNumber")
            .WithSummary("One student's registration in the campaign, by student number (学号).").RequireRoles(Staff);
        campaigns.MapGet("/counts", CountsAsync).WithName("CountRegistrations")
            .WithSummary("Counts by status, degree level and college.").RequireRoles(Staff);
        campaigns.MapGet("/summary.xlsx", (Guid campaignId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct) => SummaryAsync(campaignId, xlsx: true, user, db, ct))
            .WithName("DownloadSummaryXlsx").WithSummary("Per-college summary (汇总表) as .xlsx: counts by college, degree level and status.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff);
        campaigns.MapGet("/summary.csv", (Guid campaignId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct) => SummaryAsync(campaignId, xlsx: false, user, db, ct))
            .WithName("DownloadSummaryCsv").WithSummary("Per-college summary (汇总表) as CSV (UTF-8 with BOM).")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff);
        campaigns.MapPost("/reviews", BulkReviewAsync).WithName("ReviewRegistrations")
            .WithSummary("Approve or reject many registrations of the caller's college at once (decision 'approve' or 'reject'; a reason to reject).")
            .RequireRoles(Reviewers);

        var registrations = app.MapGroup(RegistrationDbContext.RoutePrefix + "/registrations/{registrationId:guid}").WithTags("Registrations");
        registrations.MapGet("", GetAsync).WithName("GetRegistration")
            .WithSummary("One registration, with the whole ID number.").RequireRoles(Staff);
        registrations.MapGet("/history", HistoryAsync).WithName("GetRegistrationHistory")
            .WithSummary("Every change of the registration's data: who, when, old and new value.").RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff);
        registrations.MapPost("/approve", (Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct) =>
                ReviewOneAsync(registrationId, approve: true, null, user, db, clock, ct))
            .WithName("ApproveRegistration").WithSummary("Approve a registration of the caller's college; repeating it changes nothing.").RequireRoles(Reviewers);
        registrations.MapPost("/reject", (Guid registrationId, ReasonRequest body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct) =>
                ReviewOneAsync(registrationId, approve: false, body.Reason, user, db, clock, ct))
            .WithName("RejectRegistration").WithSummary("Reject a registration of the caller's college, with the reason the student sees.").RequireRoles(Reviewers);
        registrations.MapPost("/withdraw", WithdrawAsync).WithName("WithdrawRegistration")
            .WithSummary("Take a registration out of the campaign (its capture code stops working).").RequireRoles(CaptureRoles.SchoolAdmin);

        app.MapGet(RegistrationDbContext.RoutePrefix + "/students/{studentNumber}/registrations", StudentStatusAsync).WithTags("Registrations")
            .WithName("GetStudentRegistrations").WithSummary("A student's registrations in every campaign of the school, by student number: the status for the university's system.")
            .RequireRoles(Staff);
        return app;
    }

    private static bool FullId(Caller caller) => caller.Role is CaptureRoles.SchoolAdmin or CaptureRoles.CollegeStaff or CaptureRoles.IntegrationClient;

    private static async Task<Results<Ok<PagedList<RegistrationView>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid campaignId, string? college, string? status, string? degreeLevel, int? page, int? pageSize, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (await CampaignsApi.FindAsync(db, campaignId, caller, ct) is null)
        {
            return Problems.NotFound("campaign");
        }

        var errors = new Dictionary<string, string[]>();
        if (status is not null && !RegistrationStatus.All.Contains(status))
        {
            errors["status"] = [$"Use one of: {string.Join(", ", RegistrationStatus.All)}."];
        }

        var level = degreeLevel is null ? null : DegreeLevels.Parse(degreeLevel);
        if (degreeLevel is not null && level is null)
        {
            errors["degreeLevel"] = [$"Use one of: {DegreeLevels.Choices}."];
        }

        var (p, pageErrors) = Paging.Check(page, pageSize, defaultSize: 100, MaxPageSize);
        foreach (var (field, messages) in pageErrors)
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = caller.Scope(db.Registrations.AsNoTracking()).Where(r => r.CampaignId == campaignId);
        if (college is not null)
        {
            query = query.Where(r => r.CollegeCode == college);
        }

        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }

        if (level is not null)
        {
            query = query.Where(r => r.DegreeLevel == level);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(r => r.CollegeCode).ThenBy(r => r.StudentNumber).Skip(p.Skip).Take(p.Size).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<RegistrationView>([.. items.Select(r => RegistrationView.From(r, fullIdNumber: false))], p.Number, p.Size, total));
    }

    private static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> ByStudentNumberAsync(
        Guid campaignId, string studentNumber, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var r = await caller.Scope(db.Registrations.AsNoTracking()).FirstOrDefaultAsync(x => x.CampaignId == campaignId && x.StudentNumber == studentNumber, ct);
        return r is null ? Problems.NotFound("registration") : TypedResults.Ok(RegistrationView.From(r, FullId(caller)));
    }

    private static async Task<Ok<List<RegistrationView>>> StudentStatusAsync(string studentNumber, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var list = await caller.Scope(db.Registrations.AsNoTracking()).Where(r => r.StudentNumber == studentNumber).OrderBy(r => r.RegisteredAt).ToListAsync(ct);
        return TypedResults.Ok(list.Select(r => RegistrationView.From(r, FullId(caller))).ToList());
    }

    private static async Task<Results<Ok<CampaignCounts>, ProblemHttpResult>> CountsAsync(Guid campaignId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (await CampaignsApi.FindAsync(db, campaignId, caller, ct) is null)
        {
            return Problems.NotFound("campaign");
        }

        var lines = await SummaryLinesAsync(db, campaignId, caller, ct);
        Dictionary<string, int> Sum(IEnumerable<SummaryLine> ls) =>
            ls.SelectMany(l => l.ByStatus).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        return TypedResults.Ok(new CampaignCounts(
            campaignId,
            lines.Sum(l => l.Total),
            Sum(lines),
            lines.GroupBy(l => l.DegreeLevel).ToDictionary(g => g.Key, g => g.Sum(l => l.Total)),
            [.. lines.GroupBy(l => (l.CollegeCode, l.CollegeName)).Select(g => new CollegeCounts(g.Key.CollegeCode, g.Key.CollegeName, g.Sum(l => l.Total), Sum(g)))]));
    }

    private static async Task<List<SummaryLine>> SummaryLinesAsync(RegistrationDbContext db, Guid campaignId, Caller caller, CancellationToken ct)
    {
        var groups = await caller.Scope(db.Registrations.AsNoTracking()).Where(r => r.CampaignId == campaignId)
            .GroupBy(r => new { r.CollegeCode, r.CollegeName, r.DegreeLevel, r.Status })
            .Select(g => new { g.Key.CollegeCode, g.Key.CollegeName, g.Key.DegreeLevel, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        return [.. groups
            .GroupBy(g => (g.CollegeCode, g.CollegeName, g.DegreeLevel))
            .OrderBy(g => g.Key.CollegeCode).ThenBy(g => DegreeLevels.All.ToList().IndexOf(g.Key.DegreeLevel))
            .Select(g => new SummaryLine(g.Key.CollegeCode, g.Key.CollegeName, g.Key.DegreeLevel, g.ToDictionary(x => x.Status, x => x.Count)))];
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SummaryAsync(Guid campaignId, bool xlsx, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (await CampaignsApi.FindAsync(db, campaignId, caller, ct) is not { } campaign)
        {
            return Problems.NotFound("campaign");
        }

        var lines = await SummaryLinesAsync(db, campaignId, caller, ct);
        var title = $"{campaign.SchoolName}({campaign.SchoolCode}) {campaign.Cohort} 图像采集汇总表 — {DateTimeOffset.UtcNow.ToShanghai():yyyy-MM-dd HH:mm}";
        var name = $"summary-{campaign.SchoolCode}-{campaign.Cohort}{(caller.Role == CaptureRoles.CollegeStaff ? "-" + caller.College : "")}";
        return xlsx
            ? TypedResults.File(SummaryExport.Xlsx(title, lines), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx")
            : TypedResults.File(SummaryExport.Csv(title, lines), "text/csv; charset=utf-8", name + ".csv");
    }

    private static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> GetAsync(Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var r = await caller.Scope(db.Registrations.AsNoTracking()).FirstOrDefaultAsync(x => x.Id == registrationId, ct);
        return r is null ? Problems.NotFound("registration") : TypedResults.Ok(RegistrationView.From(r, FullId(caller)));
    }

    private static async Task<Results<Ok<List<HistoryView>>, ProblemHttpResult>> HistoryAsync(Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (!await caller.Scope(db.Registrations).AnyAsync(x => x.Id == registrationId, ct))
        {
            return Problems.NotFound("registration");
        }

        var entries = await db.History.AsNoTracking().Where(h => h.RegistrationId == registrationId).OrderBy(h => h.ChangedAt).ThenBy(h => h.Id).ToListAsync(ct);
        return TypedResults.Ok(entries.Select(h => new HistoryView(h.Field, h.OldValue, h.NewValue, h.ChangedBy, h.Source, h.ChangedAt.ToShanghai())).ToList());
    }

    private static async Task<Results<Ok<RegistrationView>, ValidationProblem, ProblemHttpResult>> ReviewOneAsync(
        Guid registrationId, bool approve, string? reason, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Say why the registration is rejected: the student sees it."] });
        }

        var caller = Caller.From(user);
        var r = await caller.Scope(db.Registrations).FirstOrDefaultAsync(x => x.Id == registrationId, ct);
        if (r is null)
        {
            return Problems.NotFound("registration");
        }

        var campaign = await db.Campaigns.FirstAsync(c => c.Id == r.CampaignId, ct);
        var pending = approve && (await Review.PendingSchoolCorrectionsAsync(db, [r.Id], ct)).Count > 0;
        if (Review.Decide(db, campaign, r, approve, reason?.Trim(), pending, caller.Actor, clock.GetUtcNow()) is { } refusal)
        {
            return Problems.Conflict(refusal);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.ChangedMeanwhile();
        }

        return TypedResults.Ok(RegistrationView.From(r, FullId(caller)));
    }

    private static async Task<Results<Ok<BulkReviewReport>, ValidationProblem, ProblemHttpResult>> BulkReviewAsync(
        Guid campaignId, BulkReviewRequest body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var approve = body.Decision == "approve";
        if (body.Decision is not ("approve" or "reject"))
        {
            errors["decision"] = ["Give 'approve' or 'reject'."];
        }

        if (body.Decision == "reject" && string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = ["Say why the registrations are rejected: the students see it."];
        }

        if (body.RegistrationIds is not { Count: > 0 and <= MaxBulk })
        {
            errors["registrationIds"] = [$"Give from 1 to {MaxBulk} registration ids."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var caller = Caller.From(user);
        if (await CampaignsApi.FindAsync(db, campaignId, caller, ct) is not { } campaign)
        {
            return Problems.NotFound("campaign");
        }

        var ids = body.RegistrationIds!.Distinct().ToList();
        var found = await caller.Scope(db.Registrations).Where(r => r.CampaignId == campaignId && ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var pending = approve ? (await Review.PendingSchoolCorrectionsAsync(db, found.Keys, ct)).ToHashSet() : [];
        var now = clock.GetUtcNow();
        var outcomes = new List<BulkReviewOutcome>();
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var r))
            {
                outcomes.Add(new BulkReviewOutcome(id, "not-found", "No registration with this id in this campaign that you may review."));
                continue;
            }

            var before = r.Status;
            var refusal = Review.Decide(db, campaign, r, approve, body.Reason?.Trim(), pending.Contains(id), caller.Actor, now);
            outcomes.Add(refusal is not null
                ? new BulkReviewOutcome(id, "refused", refusal)
                : new BulkReviewOutcome(id, before == r.Status ? "unchanged" : r.Status, null));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Some of these registrations were changed by someone else at the same moment; nothing was saved. Send the request again.");
        }

        return TypedResults.Ok(new BulkReviewReport(
            outcomes.Count(o => o.Result == RegistrationStatus.Approved),
            outcomes.Count(o => o.Result == RegistrationStatus.Rejected),
            outcomes.Count(o => o.Result == "unchanged"),
            outcomes.Count(o => o.Result is "refused" or "not-found"),
            outcomes));
    }

    private static async Task<Results<Ok<RegistrationView>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        Guid registrationId, ReasonRequest body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Say why the registration is withdrawn."] });
        }

        var caller = Caller.From(user);
        var r = await caller.Scope(db.Registrations).FirstOrDefaultAsync(x => x.Id == registrationId, ct);
        if (r is null)
        {
            return Problems.NotFound("registration");
        }

        var now = clock.GetUtcNow();
        if (r.Withdraw(body.Reason.Trim(), caller.Actor, now))
        {
            db.AddUrgentIntegrationEvent(new RegistrationWithdrawn(r.Id, r.CampaignId, r.CollegeCode, body.Reason.Trim(), now));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.ChangedMeanwhile();
        }

        return TypedResults.Ok(RegistrationView.From(r, FullId(caller)));
    }
}
