using System.Security.Claims;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Apis;

/// <summary>Colleges and schools follow verification: counts by state per college, who has not verified yet (JSON, CSV, xlsx), disputes to act on, one task with its history and photo.</summary>
public static class StaffTasksApi
{
    private static readonly string[] Staff = [CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops];

    public static RouteGroupBuilder MapStaffTasksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(VerificationDbContext.RoutePrefix).WithTags("Verification follow-up").RequireRoles(Staff);
        group.MapGet("/campaigns/{campaignId:guid}/counts", CountsAsync).WithName("VerificationCounts")
            .WithSummary("Per college, how many tasks are in each state. Who may call: college-staff (own college), school-admin (own school), ops.");
        group.MapGet("/campaigns/{campaignId:guid}/unverified", UnverifiedAsync).WithName("UnverifiedList")
            .WithSummary("Students with a photo who have not confirmed (open, disputed, expired): format=json|csv|xlsx, encoding=utf-8|gbk (CSV), college=. ID numbers masked.");
        group.MapGet("/campaigns/{campaignId:guid}/disputes", DisputesAsync).WithName("DisputesList")
            .WithSummary("Disputed tasks waiting for a retake or a correction, with the fields and the student's comment.");
        group.MapGet("/campaigns/{campaignId:guid}/print-list.xlsx", PrintListAsync).WithName("PrintList")
            .WithSummary("Print list for diplomas (xlsx, a sheet per college): number, college, student number, name, degree level, photo file name, state; students with an accepted photo, not withdrawn. thumbnails=true adds each standardised photo (at most 2,000 students a list; audited).");
        group.MapGet("/tasks/{taskId:guid}", GetAsync).WithName("GetVerificationTask")
            .WithSummary("One task with its whole history (every photo and decision). Who may call: college-staff (own college), school-admin (own school), ops.");
        group.MapGet("/tasks/{taskId:guid}/photo", PhotoAsync).WithName("GetVerificationTaskPhoto")
            .WithSummary("A presigned URL (valid for minutes) to the task's current photo; audited.");
        return group;
    }

    public sealed record CollegeCounts(string CollegeCode, string CollegeName, int AwaitingPhoto, int Open, int Confirmed, int DisputedPhoto, int DisputedData, int ExpiredUnverified, int Withdrawn, int Total);

    public sealed record DisputeView(TaskSummary Task, string Kind, string? Fields, string? Comment, DateTimeOffset DisputedAt);

    private static async Task<Results<Ok<List<CollegeCounts>>, ProblemHttpResult>> CountsAsync(Guid campaignId, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var rows = await s.Db.Tasks.AsNoTracking().InScope(user).Where(t => t.CampaignId == campaignId)
            .GroupBy(t => new { t.CollegeCode, t.CollegeName, t.State, t.Withdrawn })
            .Select(g => new { g.Key.CollegeCode, g.Key.CollegeName, g.Key.State, g.Key.Withdrawn, Count = g.Count() })
            .ToListAsync(ct);
        var counts = rows.GroupBy(r => r.CollegeCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            int Of(TaskState state) => g.Where(r => r.State == state && !r.Withdrawn).Sum(r => r.Count);
            return new CollegeCounts(g.Key, g.Select(r => r.CollegeName).FirstOrDefault(n => n.Length > 0) ?? "",
                Of(TaskState.AwaitingPhoto), Of(TaskState.Open), Of(TaskState.Confirmed), Of(TaskState.DisputedPhoto), Of(TaskState.DisputedData),
                Of(TaskState.ExpiredUnverified), g.Where(r => r.Withdrawn).Sum(r => r.Count), g.Sum(r => r.Count));
        }).ToList();
        return TypedResults.Ok(counts);
    }

    private static async Task<Results<Ok<List<TaskSummary>>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> UnverifiedAsync(
        Guid campaignId, string? college, string? format, string? encoding, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        format = (format ?? "json").Trim().ToLowerInvariant();
        if (format is not ("json" or "csv" or "xlsx"))
        {
            return Problems.Invalid("format", "Use format=json, csv or xlsx.");
        }

        encoding = (encoding ?? "utf-8").Trim().ToLowerInvariant();
        if (encoding is not ("utf-8" or "utf8" or "gbk" or "gb18030"))
        {
            return Problems.Invalid("encoding", "Use encoding=utf-8 (with BOM, the default) or gbk (for old Excel).");
        }

        if (college is { Length: > Limits.CollegeCode })
        {
            return Problems.Invalid("college", $"A college code has at most {Limits.CollegeCode} characters.");
        }

        var query = s.Db.Tasks.AsNoTracking().InScope(user)
            .Where(t => t.CampaignId == campaignId && t.PhotoId != null && !t.Withdrawn && t.State != TaskState.Confirmed);
        if (!string.IsNullOrEmpty(college))
        {
            query = query.Where(t => t.CollegeCode == college);
        }

        var tasks = await query.OrderBy(t => t.CollegeCode).ThenBy(t => t.StudentNumber).Take(50_000).ToListAsync(ct);
        var name = $"unverified-{campaignId:N}";
        return format switch
        {
            "csv" => TypedResults.File(TaskLists.Csv(tasks, gbk: encoding is "gbk" or "gb18030"), encoding is "gbk" or "gb18030" ? "text/csv; charset=gb18030" : "text/csv; charset=utf-8", name + ".csv"),
            "xlsx" => TypedResults.File(TaskLists.Xlsx("未校对", tasks), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx"),
            _ => TypedResults.Ok(tasks.Take(Limits.MaxPageSize).Select(TaskSummary.From).ToList()),
        };
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> PrintListAsync(
        Guid campaignId, string? college, bool? thumbnails, ClaimsPrincipal user, HttpContext http, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        if (college is { Length: > Limits.CollegeCode })
        {
            return Problems.Invalid("college", $"A college code has at most {Limits.CollegeCode} characters.");
        }

        var query = s.Db.Tasks.AsNoTracking().InScope(user).Where(t => t.CampaignId == campaignId && t.PhotoId != null && !t.Withdrawn);
        if (!string.IsNullOrEmpty(college))
        {
            query = query.Where(t => t.CollegeCode == college);
        }

        var tasks = await query.Take(50_000).ToListAsync(ct);
        var file = $"print-list-{campaignId:N}.xlsx";
        if (thumbnails != true)
        {
            return TypedResults.File(TaskLists.PrintList(tasks), TaskLists.XlsxContentType, file);
        }

        // Each standardised JPEG (20–40 KB) goes into the workbook, which is built in memory: a college at a time.
        if (tasks.Count > Limits.PrintListThumbnails)
        {
            return Problems.Invalid("thumbnails", $"A print list with thumbnails holds at most {Limits.PrintListThumbnails} students; this one has {tasks.Count}: ask for one college (college=...) at a time.");
        }

        var photos = new Dictionary<Guid, byte[]>();
        var now = s.Time.GetUtcNow();
        foreach (var t in tasks.Where(t => t.PhotoKey is not null))
        {
            try
            {
                await using var stream = await s.Storage.OpenReadAsync(PhotoLinks.Bucket, t.PhotoKey!, ct);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct);
                photos[t.RegistrationId] = buffer.ToArray();
            }
            catch (FileNotFoundException)
            {
                continue; // missing in storage: the row says so instead of a picture
            }

            s.Db.PhotoAccesses.Add(new PhotoAccess
            {
                At = now, Actor = user.Actor(), SchoolCode = t.SchoolCode, What = "print-list", RegistrationId = t.RegistrationId,
                PhotoId = t.PhotoId, RemoteAddress = http.RemoteAddress(),
            });
        }

        await s.Db.SaveChangesAsync(ct);
        return TypedResults.File(TaskLists.PrintList(tasks, photos), TaskLists.XlsxContentType, file);
    }

    private static async Task<Results<Ok<List<DisputeView>>, ValidationProblem, ProblemHttpResult>> DisputesAsync(
        Guid campaignId, string? college, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        if (college is { Length: > Limits.CollegeCode })
        {
            return Problems.Invalid("college", $"A college code has at most {Limits.CollegeCode} characters.");
        }

        var query = s.Db.Tasks.AsNoTracking().InScope(user)
            .Where(t => t.CampaignId == campaignId && !t.Withdrawn && (t.State == TaskState.DisputedPhoto || t.State == TaskState.DisputedData));
        if (!string.IsNullOrEmpty(college))
        {
            query = query.Where(t => t.CollegeCode == college);
        }

        var tasks = await query.OrderBy(t => t.DecidedAt).Take(Limits.MaxPageSize).ToListAsync(ct);
        var ids = tasks.Select(t => t.RegistrationId).ToList();
        var decisions = (await s.Db.History.AsNoTracking()
                .Where(h => ids.Contains(h.RegistrationId) && (h.Kind == TaskHistoryEntry.DisputedPhoto || h.Kind == TaskHistoryEntry.DisputedData))
                .ToListAsync(ct))
            .ToLookup(h => (h.RegistrationId, h.Round));
        return TypedResults.Ok(tasks.Select(t =>
        {
            var h = decisions[(t.RegistrationId, t.Round)].FirstOrDefault();
            return new DisputeView(TaskSummary.From(t), t.State == TaskState.DisputedPhoto ? "photo" : "data", h?.Fields, h?.Comment, (h?.At ?? t.DecidedAt ?? t.UpdatedAt).ToShanghai());
        }).ToList());
    }

    private static async Task<Results<Ok<TaskDetail>, ProblemHttpResult>> GetAsync(Guid taskId, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var task = await s.Db.Tasks.AsNoTracking().InScope(user).FirstOrDefaultAsync(t => t.RegistrationId == taskId, ct);
        if (task is null)
        {
            return Problems.NotFound($"No verification task {taskId} in your scope.");
        }

        var history = await s.Db.History.AsNoTracking().Where(h => h.RegistrationId == taskId).OrderBy(h => h.At).ThenBy(h => h.Id).Take(500).ToListAsync(ct);
        return TypedResults.Ok(new TaskDetail(TaskSummary.From(task), history.Select(HistoryView.From).ToList()));
    }

    private static async Task<Results<Ok<PresignedUrl>, ProblemHttpResult>> PhotoAsync(
        Guid taskId, ClaimsPrincipal user, HttpContext http, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var task = await s.Db.Tasks.AsNoTracking().InScope(user).FirstOrDefaultAsync(t => t.RegistrationId == taskId, ct);
        if (task is null)
        {
            return Problems.NotFound($"No verification task {taskId} in your scope.");
        }

        return await PhotoLinks.IssueAsync(task, user, http, s, ct);
    }
}
