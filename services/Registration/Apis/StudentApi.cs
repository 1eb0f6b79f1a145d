using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Capture.ServiceDefaults.Validation;

namespace Capture.Registration.Apis;

/// <summary>What a student sees of one of their registrations: the data (ID masked), the campaign's deadline, corrections.</summary>
public sealed record MyRegistration(RegistrationView Registration, string Cohort, DateTimeOffset CorrectionDeadline, bool CorrectionsOpen, IReadOnlyList<CorrectionView> Corrections);

/// <summary>A correction request: the field (name, idNumber, major, className, campus), the new value, why, and the supporting document.</summary>
public sealed record CorrectionRequest(
    [PlainText(32)] string? Field,
    [PlainText(FieldLengths.CollegeName)] string? NewValue,
    [PlainText(FieldLengths.IdType)] string? IdType,
    [PlainText(FieldLengths.Reason, Multiline = true)] string? Reason,
    [PlainText(FieldLengths.DocumentReference)] string? DocumentReference) : IValidatableObject
{
    /// <summary>The new value under its own field's rule: a name is letters, a class name fits the contract's 128.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var field = Field?.Trim();
        var value = NewValue?.Trim();
        var problem = field is null || !CorrectableField.All.Contains(field) || string.IsNullOrEmpty(value)
            ? null
            : field == CorrectableField.Name
                ? TextRules.CheckName(value, FieldLengths.Name)
                : TextRules.CheckText(value, FieldLengths.Of(field));
        if (problem is not null)
        {
            yield return new ValidationResult(problem, [nameof(NewValue)]);
        }
    }
}

/// <summary>
/// The student's own registrations. A student's token names them by <c>sub</c> = student number (学号) and
/// <c>school</c> = school code, so a student only ever reaches their own records.
/// </summary>
public static class StudentApi
{
    public static RouteGroupBuilder MapStudentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(RegistrationDbContext.RoutePrefix + "/me/registrations").WithTags("Student").RequireRoles(CaptureRoles.Student);
        group.MapGet("", ListAsync).WithName("GetMyRegistrations")
            .WithSummary("The caller's own registrations, ID number masked but for the last 4 characters.");
        group.MapPost("/{registrationId:guid}/confirm", ConfirmAsync).WithName("ConfirmMyRegistration")
            .WithSummary("Confirm that the data is right.");
        group.MapPost("/{registrationId:guid}/corrections", RequestCorrectionAsync).WithName("RequestCorrection")
            .WithSummary("Ask for a correction before the deadline; name and ID number wait for the school's approval, other fields apply at once.");
        return group;
    }

    public static async Task<StudentRegistration?> FindOwnAsync(RegistrationDbContext db, Guid id, ClaimsPrincipal user, CancellationToken ct) =>
        await Caller.From(user).Scope(db.Registrations).FirstOrDefaultAsync(r => r.Id == id, ct);

    private static async Task<Ok<List<MyRegistration>>> ListAsync(ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var mine = await Caller.From(user).Scope(db.Registrations.AsNoTracking()).OrderBy(r => r.RegisteredAt).ToListAsync(ct);
        var campaignIds = mine.Select(r => r.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var ids = mine.Select(r => r.Id).ToList();
        var corrections = (await db.Corrections.AsNoTracking().Where(c => ids.Contains(c.RegistrationId)).OrderBy(c => c.RequestedAt).ToListAsync(ct)).ToLookup(c => c.RegistrationId);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(mine.Select(r =>
        {
            var c = campaigns[r.CampaignId];
            return new MyRegistration(RegistrationView.From(r, fullIdNumber: false), c.Cohort, c.CorrectionDeadline.ToShanghai(), c.CorrectionRefusal(now) is null,
                [.. corrections[r.Id].Select(x => CorrectionView.From(x, fullIdNumber: false))]);
        }).ToList());
    }

    private static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> ConfirmAsync(Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await FindOwnAsync(db, registrationId, user, ct) is not { } r)
        {
            return Problems.NotFound("registration");
        }

        if (r.Confirm(clock.GetUtcNow()) is { } refusal)
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

        return TypedResults.Ok(RegistrationView.From(r, fullIdNumber: false));
    }

    private static async Task<Results<Ok<CorrectionView>, ValidationProblem, ProblemHttpResult>> RequestCorrectionAsync(
        Guid registrationId, CorrectionRequest body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await FindOwnAsync(db, registrationId, user, ct) is not { } r)
        {
            return Problems.NotFound("registration");
        }

        var errors = new Dictionary<string, string[]>();
        var field = body.Field?.Trim();
        var value = body.NewValue?.Trim();
        string? idType = null;
        if (field is null || !CorrectableField.All.Contains(field))
        {
            errors["field"] = [$"Give one of: {string.Join(", ", CorrectableField.All)}. Student number, degree level and college come from the university's system: ask your college."];
        }

        if (string.IsNullOrEmpty(value))
        {
            errors["newValue"] = ["Give the correct value."];
        }
        else if (field == CorrectableField.Name)
        {
            value = TextRules.NormalizeName(value);
        }
        else if (field == CorrectableField.IdNumber)
        {
            idType = IdDocumentType.Parse(body.IdType ?? r.IdType);
            if (idType is null)
            {
                errors["idType"] = [$"Use one of {IdDocumentType.Choices}."];
            }
            else if (IdDocumentValidator.Validate(idType, value) is { IsValid: false } check)
            {
                errors["newValue"] = [check.Error!];
            }
            else
            {
                value = IdDocumentValidator.Validate(idType, value).Number;
            }
        }

        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = ["Say why the data is wrong."];
        }

        if (field is not null && CorrectableField.NeedsSchoolApproval(field) && string.IsNullOrWhiteSpace(body.DocumentReference))
        {
            errors["documentReference"] = ["A name or ID number correction needs a supporting document (e.g. the police station's certificate of change, 公民主项信息变更证明): say where it is."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var campaign = await db.Campaigns.FirstAsync(c => c.Id == r.CampaignId, ct);
        var now = clock.GetUtcNow();

        // A correction requested by a data dispute at verification is answered even after the correction deadline:
        // the student found the error in what goes to CHSI, which is what the deadline protects.
        var requested = await db.Corrections.FirstOrDefaultAsync(c => c.RegistrationId == r.Id && c.Field == field && c.Status == CorrectionStatus.Requested, ct);
        if (requested is null && campaign.CorrectionRefusal(now) is { } frozen)
        {
            return Problems.Conflict(frozen);
        }

        if (r.Status == RegistrationStatus.Withdrawn)
        {
            return Problems.Conflict("This registration was withdrawn: its data can no longer be corrected.");
        }

        if (await db.Corrections.AnyAsync(c => c.RegistrationId == r.Id && c.Field == field && c.Status == CorrectionStatus.Pending, ct))
        {
            return Problems.Conflict($"A correction of {field} is already waiting for the school's decision.");
        }

        Correction correction;
        if (requested is not null)
        {
            requested.Complete(idType, value!, body.Reason, body.DocumentReference?.Trim());
            correction = requested;
        }
        else
        {
            correction = Correction.Request(r, field!, idType, value!, body.Reason!.Trim(), body.DocumentReference?.Trim(), Caller.From(user).Actor, now);
            db.Corrections.Add(correction);
        }

        if (!CorrectableField.NeedsSchoolApproval(field!) && await Corrections.ApplyAsync(db, correction, r, Caller.From(user).Actor, now, ct) is { } refusal)
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

        return TypedResults.Ok(CorrectionView.From(correction, fullIdNumber: false));
    }
}
