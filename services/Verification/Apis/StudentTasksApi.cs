using System.Security.Claims;
using Capture.Contracts.Verification;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Capture.Verification.Domain;
using Capture.Verification.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Apis;

/// <summary>
/// The student's verification (校对): their accepted photo and the data exactly as it goes to CHSI, the deadline, and one
/// decision a round: confirm, or say what is wrong. A task that is not the caller's answers 404.
/// </summary>
public static partial class StudentTasksApi
{
    public static RouteGroupBuilder MapStudentTasksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(VerificationDbContext.RoutePrefix + "/me/tasks").WithTags("Student verification")
            .RequireRoles(CaptureRoles.Student);
        group.MapGet("", ListAsync).WithName("ListMyVerificationTasks")
            .WithSummary("The caller's verification tasks (one per registration with an accepted photo). Who may call: student.");
        group.MapGet("/{taskId:guid}", GetAsync).WithName("GetMyVerificationTask")
            .WithSummary("One task: state, deadline (Beijing time), the data as exported, whether a decision is possible. Who may call: student (own).");
        group.MapGet("/{taskId:guid}/photo", PhotoAsync).WithName("GetMyVerificationPhoto")
            .WithSummary("A presigned URL (valid for minutes) to the standardised photo that goes to CHSI; audited. Who may call: student (own).");
        group.MapPost("/{taskId:guid}/confirm", ConfirmAsync).WithName("ConfirmMyVerification")
            .WithSummary("Confirms photo and data (final for this round; audited: who, when, from where). 409 when decided, expired or changed. Who may call: student (own).");
        group.MapPost("/{taskId:guid}/dispute", DisputeAsync).WithName("DisputeMyVerification")
            .WithSummary("Says what is wrong, once a round: kind photo (→ makeup capture) or data with the fields (→ correction). Who may call: student (own).");
        return group;
    }

    private static IQueryable<VerificationTask> Mine(this IQueryable<VerificationTask> tasks, ClaimsPrincipal user)
    {
        var school = user.School()!.ToLowerInvariant();
        var number = user.Subject()!;
        return tasks.Where(t => t.PhotoId != null && t.StudentNumber == number && t.SchoolCode.ToLower() == school);
    }

    private static async Task<Results<Ok<List<StudentTaskView>>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var now = s.Time.GetUtcNow();
        var tasks = await s.Db.Tasks.AsNoTracking().Mine(user).OrderByDescending(t => t.OpenedAt).Take(50).ToListAsync(ct);
        return TypedResults.Ok(tasks.Select(t => StudentTaskView.From(t, now)).ToList());
    }

    private static async Task<Results<Ok<StudentTaskView>, ProblemHttpResult>> GetAsync(Guid taskId, ClaimsPrincipal user, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var task = await s.Db.Tasks.AsNoTracking().Mine(user).FirstOrDefaultAsync(t => t.RegistrationId == taskId, ct);
        return task is null ? NotYours(taskId) : TypedResults.Ok(StudentTaskView.From(task, s.Time.GetUtcNow()));
    }

    private static async Task<Results<Ok<PresignedUrl>, ProblemHttpResult>> PhotoAsync(
        Guid taskId, ClaimsPrincipal user, HttpContext http, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var task = await s.Db.Tasks.AsNoTracking().Mine(user).FirstOrDefaultAsync(t => t.RegistrationId == taskId, ct);
        if (task is null)
        {
            return NotYours(taskId);
        }

        return await PhotoLinks.IssueAsync(task, user, http, s, ct);
    }

    private static async Task<Results<Ok<StudentTaskView>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        Guid taskId, ConfirmRequest? request, ClaimsPrincipal user, HttpContext http, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        if (request?.Round is < 1 or > 100_000)
        {
            return Problems.Invalid("round", "Give the round shown with your task (1 or more), or leave it out.");
        }

        return await DecideAsync(taskId, request?.Round, user, http, s, ct, (task, now) =>
        {
            task.Confirm(now);
            s.Db.AddIntegrationEvent(new PhotoVerified(
                task.RegistrationId, task.RegistrationId, task.CampaignId, task.SchoolCode, task.CollegeCode, task.PhotoId!.Value, task.PhotoSha256!, task.Round, now));
            return (TaskHistoryEntry.Confirmed, null, null);
        });
    }

    private static async Task<Results<Ok<StudentTaskView>, ValidationProblem, ProblemHttpResult>> DisputeAsync(
        Guid taskId, DisputeRequest? request, ClaimsPrincipal user, HttpContext http, [AsParameters] VerificationServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        if (request is null)
        {
            return Problems.Invalid("kind", "Send a JSON body: {\"kind\": \"photo\"} or {\"kind\": \"data\", \"fields\": [\"name\"]}.");
        }

        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (kind is not (VerificationDisputeKinds.Photo or VerificationDisputeKinds.Data))
        {
            return Problems.Invalid("kind", "Say what is wrong: \"photo\" (you will be offered a makeup capture) or \"data\" (name the fields).");
        }

        List<string> fields = [];
        if (kind == VerificationDisputeKinds.Data)
        {
            if (request.Fields is not { Count: > 0 and <= 7 } given)
            {
                return Problems.Invalid("fields", $"Name the wrong fields (1 to 7 of: {string.Join(", ", StudentData.FieldNames)}).");
            }

            foreach (var field in given)
            {
                var known = StudentData.FieldNames.FirstOrDefault(f => string.Equals(f, field?.Trim(), StringComparison.OrdinalIgnoreCase));
                if (known is null)
                {
                    return Problems.Invalid("fields", $"Unknown field: use only {string.Join(", ", StudentData.FieldNames)}.");
                }

                if (!fields.Contains(known))
                {
                    fields.Add(known);
                }
            }
        }
        else if (request.Fields is { Count: > 0 })
        {
            return Problems.Invalid("fields", "A photo dispute names no fields: leave \"fields\" out, or use kind \"data\".");
        }

        var comment = request.Comment?.Trim();
        if (comment is { Length: > Limits.Comment })
        {
            return Problems.Invalid("comment", $"Keep the comment to {Limits.Comment} characters.");
        }

        if (request.Round is < 1 or > 100_000)
        {
            return Problems.Invalid("round", "Give the round shown with your task (1 or more), or leave it out.");
        }

        var isPhoto = kind == VerificationDisputeKinds.Photo;
        return await DecideAsync(taskId, request.Round, user, http, s, ct, (task, now) =>
        {
            task.Dispute(isPhoto, now);
            s.Db.AddIntegrationEvent(new VerificationDisputed(
                task.RegistrationId, task.RegistrationId, task.CampaignId, task.SchoolCode, task.CollegeCode, task.PhotoId!.Value, kind, fields, task.Round, now));
            return (isPhoto ? TaskHistoryEntry.DisputedPhoto : TaskHistoryEntry.DisputedData, fields.Count > 0 ? string.Join(',', fields) : null, string.IsNullOrEmpty(comment) ? null : comment);
        });
    }

    /// <summary>One decision a round: refused when not open, past the deadline or changed; two at once → one wins (xmin and a unique index), the other 409.</summary>
    private static async Task<Results<Ok<StudentTaskView>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid taskId, int? round, ClaimsPrincipal user, HttpContext http, VerificationServices s, CancellationToken ct,
        Func<VerificationTask, DateTimeOffset, (string Kind, string? Fields, string? Comment)> decide)
    {
        var task = await s.Db.Tasks.Mine(user).FirstOrDefaultAsync(t => t.RegistrationId == taskId, ct);
        if (task is null)
        {
            return NotYours(taskId);
        }

        var now = s.Time.GetUtcNow();
        if (task.RefuseDecision(now, round) is { } refusal)
        {
            return Problems.Conflict(refusal.Detail, refusal.Reason);
        }

        var (kind, fields, comment) = decide(task, now);
        s.Db.History.Add(new TaskHistoryEntry
        {
            RegistrationId = task.RegistrationId, Round = task.Round, Kind = kind, PhotoId = task.PhotoId, PhotoKey = task.PhotoKey,
            PhotoSha256 = task.PhotoSha256, Fields = fields, Comment = comment, Actor = user.Actor(), RemoteAddress = http.RemoteAddress(), At = now,
        });
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
        {
            return Problems.Conflict("Your task was decided or changed at the same moment (another tab or device?): look at it again.", "already-decided");
        }

        LogDecided(s.Loggers.CreateLogger("Capture.Verification.Decisions"), task.RegistrationId, task.Round, kind);
        return TypedResults.Ok(StudentTaskView.From(task, now));
    }

    private static ProblemHttpResult NotYours(Guid taskId) =>
        Problems.NotFound($"You have no verification task {taskId}. List yours at {VerificationDbContext.RoutePrefix}/me/tasks.");

    [LoggerMessage(LogLevel.Information, "Verification of registration {RegistrationId} round {Round}: {Decision}")]
    private static partial void LogDecided(ILogger logger, Guid registrationId, int round, string decision);
}
