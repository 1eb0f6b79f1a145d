using System.Security.Claims;
using Capture.Contracts.Registration;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.Apis;

public sealed record CaptureCodeView(Guid RegistrationId, string Code, int Version);

/// <summary>
/// Capture codes (采集码): the student's QR code, the station's verification, and revocation and re-issue by staff.
/// </summary>
public static class CaptureCodesApi
{
    private static readonly string[] Staff = [CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff];

    public static IEndpointRouteBuilder MapCaptureCodesApi(this IEndpointRouteBuilder app)
    {
        var prefix = RegistrationDbContext.RoutePrefix;
        app.MapPost(prefix + "/capture-codes/verify", VerifyAsync).WithTags("Capture codes").WithName("VerifyCaptureCode")
            .WithSummary("Verify a scanned capture code: 200 with the registration; 400 when forged or tampered; 404 when unknown or of another school than the operator's venue (or the admin's school); 403 when the operator's venue is not known yet; 410 when revoked or replaced.")
            .RequireRoles(CaptureRoles.StationOperator, CaptureRoles.Ops, CaptureRoles.SchoolAdmin);

        var mine = app.MapGroup(prefix + "/me/registrations/{registrationId:guid}").WithTags("Capture codes").RequireRoles(CaptureRoles.Student);
        mine.MapGet("/capture-code", (Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, CancellationToken ct) => TextAsync(registrationId, user, db, signer, ct))
            .WithName("GetMyCaptureCode").WithSummary("The caller's capture code as text.");
        mine.MapGet("/capture-code.png", (Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, CancellationToken ct) => ImageAsync(registrationId, svg: false, user, db, signer, ct))
            .WithName("GetMyCaptureCodePng").WithSummary("The caller's capture code as a QR image (PNG).");
        mine.MapGet("/capture-code.svg", (Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, CancellationToken ct) => ImageAsync(registrationId, svg: true, user, db, signer, ct))
            .WithName("GetMyCaptureCodeSvg").WithSummary("The caller's capture code as a QR image (SVG).");

        var staff = app.MapGroup(prefix + "/registrations/{registrationId:guid}").WithTags("Capture codes").RequireRoles(Staff);
        staff.MapGet("/capture-code.png", (Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, CancellationToken ct) => ImageAsync(registrationId, svg: false, user, db, signer, ct))
            .WithName("GetCaptureCodePng").WithSummary("A student's capture code as a QR image (PNG), e.g. to print a voucher.");
        staff.MapPost("/capture-code/revoke", RevokeAsync).WithName("RevokeCaptureCode")
            .WithSummary("Revoke the current capture code: scanning it then answers 410.");
        staff.MapPost("/capture-code/reissue", ReissueAsync).WithName("ReissueCaptureCode")
            .WithSummary("Issue a new capture code for an approved registration; every earlier code stops working.");
        return app;
    }

    private static async Task<Results<Ok<CaptureCodeVerification>, ProblemHttpResult>> VerifyAsync(
        VerifyCaptureCodeRequest body, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, CancellationToken ct)
    {
        if (CaptureCodeSigner.ShapeProblem(body.Code) is { } malformed)
        {
            return Problems.BadRequest(malformed);
        }

        if (signer.Read(body.Code) is not { } claim)
        {
            return Problems.BadRequest("This is not a capture code issued by Capture (it is damaged, altered or forged): ask the student to open the QR code on their registration page again.");
        }

        // Whose codes the caller may verify: a station operator their venue's school, a school admin their own; ops any.
        string? school = null;
        if (user.IsInRole(CaptureRoles.StationOperator))
        {
            var venue = user.VenueId()!.Value;
            school = await db.Venues.AsNoTracking().Where(v => v.VenueId == venue).Select(v => v.SchoolCode).FirstOrDefaultAsync(ct);
            if (school is null)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Outside your scope",
                    detail: $"Registration does not know venue {venue} (your token's '{CaptureClaims.Venue}' claim) yet: it learns a venue and its school when Scheduling opens a station there, within seconds. Open a station at the venue, or scan again in a moment.");
            }
        }
        else if (!user.IsOpsRole())
        {
            school = user.School();
        }

        // Another school's code is answered like an unknown one, before revocation or status: nothing about it is revealed.
        var r = await db.Registrations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == claim.RegistrationId, ct);
        if (r is null || (school is not null && !CallerScope.SameSchool(school, r.SchoolCode)))
        {
            return TypedResults.Problem("No registration matches this capture code.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        if (claim.Version < r.CaptureCodeVersion)
        {
            return Problems.Gone("This capture code was replaced by a newer one (it was revoked when the new one was issued): ask the student to open the current code on their registration page.");
        }

        if (r.CaptureCodeRevokedAt is { } revokedAt)
        {
            return Problems.Gone($"This capture code was revoked on {ShanghaiTime.Display(revokedAt)}: the student asks their college for a new one.");
        }

        if (r.Status != RegistrationStatus.Approved)
        {
            return Problems.Gone($"This registration is {r.Status}, so its capture code is no longer valid.");
        }

        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == r.CampaignId, ct);
        return TypedResults.Ok(new CaptureCodeVerification(
            r.Id, r.CampaignId, campaign.SchoolCode, r.StudentNumber, r.Name, r.CollegeCode, r.CollegeName, r.ClassName, r.DegreeLevel,
            PersonalData.MaskIdNumber(r.IdNumber), r.Status, claim.Version));
    }

    private static async Task<(StudentRegistration? Registration, ProblemHttpResult? Problem)> CurrentAsync(Guid id, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var r = await Caller.From(user).Scope(db.Registrations.AsNoTracking()).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null)
        {
            return (null, Problems.NotFound("registration"));
        }

        if (r.HasCaptureCode)
        {
            return (r, null);
        }

        return (null, Problems.Conflict(r.Status != RegistrationStatus.Approved
            ? $"There is no capture code yet: the registration is {r.Status}, and a code is issued when the college approves it."
            : "The capture code was revoked: the college issues a new one."));
    }

    private static async Task<Results<Ok<CaptureCodeView>, ProblemHttpResult>> TextAsync(Guid id, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, CancellationToken ct)
    {
        var (r, problem) = await CurrentAsync(id, user, db, ct);
        return r is null ? problem! : TypedResults.Ok(new CaptureCodeView(r.Id, signer.Issue(r.Id, r.CaptureCodeVersion), r.CaptureCodeVersion));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ImageAsync(Guid id, bool svg, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, CancellationToken ct)
    {
        var (r, problem) = await CurrentAsync(id, user, db, ct);
        if (r is null)
        {
            return problem!;
        }

        var code = signer.Issue(r.Id, r.CaptureCodeVersion);
        return svg
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(QrImages.Svg(code)), "image/svg+xml")
            : TypedResults.File(QrImages.Png(code), "image/png");
    }

    private static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> RevokeAsync(Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var r = await Caller.From(user).Scope(db.Registrations).FirstOrDefaultAsync(x => x.Id == registrationId, ct);
        if (r is null)
        {
            return Problems.NotFound("registration");
        }

        if (r.CaptureCodeVersion == 0)
        {
            return Problems.Conflict("This registration has no capture code to revoke.");
        }

        if (r.CaptureCodeRevokedAt is null)
        {
            var now = clock.GetUtcNow();
            r.RevokeCaptureCode(now);
            db.AddUrgentIntegrationEvent(new CaptureCodeRevoked(r.Id, r.CampaignId, r.SchoolCode, r.CaptureCodeVersion + 1, CaptureCodeRevoked.Revoked, now));
        }

        return await SaveAsync(db, r, ct);
    }

    private static async Task<Results<Ok<CaptureCodeView>, ProblemHttpResult>> ReissueAsync(Guid registrationId, ClaimsPrincipal user, RegistrationDbContext db, CaptureCodeSigner signer, TimeProvider clock, CancellationToken ct)
    {
        var r = await Caller.From(user).Scope(db.Registrations).FirstOrDefaultAsync(x => x.Id == registrationId, ct);
        if (r is null)
        {
            return Problems.NotFound("registration");
        }

        if (r.Status != RegistrationStatus.Approved)
        {
            return Problems.Conflict($"Only an approved registration has a capture code; this one is {r.Status}.");
        }

        r.ReissueCaptureCode();
        db.AddUrgentIntegrationEvent(new CaptureCodeRevoked(r.Id, r.CampaignId, r.SchoolCode, r.CaptureCodeVersion, CaptureCodeRevoked.Reissued, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.ChangedMeanwhile();
        }

        return TypedResults.Ok(new CaptureCodeView(r.Id, signer.Issue(r.Id, r.CaptureCodeVersion), r.CaptureCodeVersion));
    }

    private static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> SaveAsync(RegistrationDbContext db, StudentRegistration r, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.ChangedMeanwhile();
        }

        return TypedResults.Ok(RegistrationView.From(r, fullIdNumber: true));
    }
}
