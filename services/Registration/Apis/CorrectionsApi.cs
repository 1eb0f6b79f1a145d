using System.Security.Claims;
using Capture.Contracts.Registration;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Capture.ServiceDefaults.Validation;

namespace Capture.Registration.Apis;

/// <summary>
/// A decision on a correction: the note the student sees (required to reject). Approving a correction requested at
/// verification (status <c>requested</c>, no value yet) takes the correct value here (and the ID type with an ID number);
/// the value is checked for its field by <c>CorrectionValue</c>.
/// </summary>
public sealed record CorrectionDecision(
    [PlainText(1000, Multiline = true)] string? Note,
    [PlainText(200)] string? NewValue = null,
    [PlainText(32)] string? IdType = null);

/// <summary>Correction requests for staff: the college and school see them; the school admin decides name and ID number changes.</summary>
public static class CorrectionsApi
{
    public static IEndpointRouteBuilder MapCorrectionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(RegistrationDbContext.RoutePrefix + "/campaigns/{campaignId:guid}/corrections", ListAsync).WithTags("Corrections")
            .WithName("ListCorrections").WithSummary("Correction requests of a campaign (the caller's college for college staff), optionally by status (requested, pending, applied, rejected).")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff);
        var group = app.MapGroup(RegistrationDbContext.RoutePrefix + "/corrections/{correctionId:guid}").WithTags("Corrections").RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPost("/approve", (Guid correctionId, CorrectionDecision? body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct) =>
                DecideAsync(correctionId, approve: true, body, user, db, clock, ct))
            .WithName("ApproveCorrection").WithSummary("Approve a name or ID number correction: the registration changes, with history. A correction requested at verification needs newValue (and idType for an ID number), unless it names a roster field, which is closed once the roster has changed it.");
        group.MapPost("/reject", (Guid correctionId, CorrectionDecision? body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct) =>
                DecideAsync(correctionId, approve: false, body, user, db, clock, ct))
            .WithName("RejectCorrection").WithSummary("Reject a correction, with a note the student sees.");
        return app;
    }

    private static async Task<Results<Ok<List<CorrectionView>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid campaignId, string? status, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        if (status is not null && !CorrectionStatus.All.Contains(status))
        {
            return Capture.ServiceDefaults.Http.Problems.Invalid("status", $"Use one of: {string.Join(", ", CorrectionStatus.All)}.");
        }

        var caller = Caller.From(user);
        if (await CampaignsApi.FindAsync(db, campaignId, caller, ct) is null)
        {
            return Problems.NotFound("campaign");
        }

        var query = db.Corrections.AsNoTracking().Where(c => c.CampaignId == campaignId && c.SchoolCode == caller.School);
        if (caller.Role == CaptureRoles.CollegeStaff)
        {
            query = query.Where(c => c.CollegeCode == caller.College);
        }

        if (status is not null)
        {
            query = query.Where(c => c.Status == status);
        }

        var list = await query.OrderBy(c => c.RequestedAt).ToListAsync(ct);
        return TypedResults.Ok(list.Select(c => CorrectionView.From(c, fullIdNumber: true)).ToList());
    }

    private static async Task<Results<Ok<CorrectionView>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid correctionId, bool approve, CorrectionDecision? body, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var note = body?.Note;
        var caller = Caller.From(user);
        var correction = await db.Corrections.FirstOrDefaultAsync(c => c.Id == correctionId && c.SchoolCode == caller.School, ct);
        if (correction is null)
        {
            return Problems.NotFound("correction");
        }

        if (!approve && string.IsNullOrWhiteSpace(note))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["Say why the correction is rejected: the student sees it."] });
        }

        if (correction.Status is not (CorrectionStatus.Pending or CorrectionStatus.Requested))
        {
            var same = correction.Status == (approve ? CorrectionStatus.Applied : CorrectionStatus.Rejected);
            return same ? TypedResults.Ok(CorrectionView.From(correction, fullIdNumber: true)) : Problems.Conflict($"This correction was already decided ({correction.Status}).");
        }

        var r = await db.Registrations.FirstAsync(x => x.Id == correction.RegistrationId, ct);
        var now = clock.GetUtcNow();
        if (approve && correction.Status == CorrectionStatus.Requested)
        {
            if (CorrectableField.IsRosterOnly(correction.Field))
            {
                if (string.Equals(r.Value(correction.Field), correction.OldValue, StringComparison.Ordinal))
                {
                    return Problems.Conflict($"The {correction.Field} comes from the university's system and changes only through the roster: import the student's corrected row, then approve this request to close it.");
                }

                // The roster changed it already (and published StudentDataCorrected): this closes the request.
                correction.Decide(approved: true, caller.Actor, note?.Trim() ?? "Corrected through the roster.", now);
            }
            else
            {
                var (value, idType, errors) = CorrectionValue.Check(correction.Field, body?.NewValue, body?.IdType, r.IdType);
                if (errors.Count > 0)
                {
                    return TypedResults.ValidationProblem(errors);
                }

                correction.Complete(idType, value!, null, null);
                if (await Corrections.ApplyAsync(db, correction, r, caller.Actor, now, ct) is { } refusal)
                {
                    return Problems.Conflict(refusal);
                }
            }
        }
        else if (approve)
        {
            // The request was made before the deadline; deciding it afterwards is the school's prerogative.
            if (await Corrections.ApplyAsync(db, correction, r, caller.Actor, now, ct) is { } refusal)
            {
                return Problems.Conflict(refusal);
            }
        }
        else
        {
            correction.Decide(approved: false, caller.Actor, note!.Trim(), now);
            if (correction.FromVerification)
            {
                // The dispute is answered once nothing it raised is still open: the student verifies the data again.
                var stillOpen = await db.Corrections.AnyAsync(
                    c => c.RegistrationId == correction.RegistrationId && c.Id != correction.Id && c.RequestedBy == correction.RequestedBy
                        && (c.Status == CorrectionStatus.Requested || c.Status == CorrectionStatus.Pending), ct);
                if (!stillOpen)
                {
                    var rejected = await db.Corrections
                        .Where(c => c.RegistrationId == correction.RegistrationId && c.RequestedBy == correction.RequestedBy && c.Status == CorrectionStatus.Rejected && c.Id != correction.Id)
                        .Select(c => c.Field).ToListAsync(ct);
                    db.AddIntegrationEvent(new StudentDataCorrectionRejected(
                        correction.RegistrationId, r.CampaignId, [.. rejected.Append(correction.Field).Distinct()], note.Trim(), now));
                }
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.ChangedMeanwhile();
        }

        return TypedResults.Ok(CorrectionView.From(correction, fullIdNumber: true));
    }
}
