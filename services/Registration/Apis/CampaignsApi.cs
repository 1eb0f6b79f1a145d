using Capture.Contracts.Registration;
using System.Security.Claims;
using Capture.Registration.Domain;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Registration.Apis;

public sealed record CampaignView(
    Guid Id,
    string SchoolCode,
    string SchoolName,
    string Cohort,
    IReadOnlyList<string> DegreeLevels,
    IReadOnlyList<string> StudyModes,
    DateTimeOffset RegistrationOpensAt,
    DateTimeOffset RegistrationClosesAt,
    DateTimeOffset CorrectionDeadline,
    long FeeFen,
    int VerificationWindowDays,
    string Status)
{
    public static CampaignView From(Campaign c) => new(
        c.Id, c.SchoolCode, c.SchoolName, c.Cohort, c.DegreeLevels, c.StudyModes, c.RegistrationOpensAt.ToShanghai(),
        c.RegistrationClosesAt.ToShanghai(), c.CorrectionDeadline.ToShanghai(), c.FeeFen, c.VerificationWindowDays, c.Status);
}

/// <summary>Campaigns (采集批次): created and changed by the school admin of that school; read by everyone of the school.</summary>
public static class CampaignsApi
{
    private static readonly string[] Readers = [CaptureRoles.SchoolAdmin, CaptureRoles.CollegeStaff, CaptureRoles.IntegrationClient, CaptureRoles.Student];

    public static RouteGroupBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(RegistrationDbContext.RoutePrefix + "/campaigns").WithTags("Campaigns");
        group.MapPost("", CreateAsync).WithName("CreateCampaign")
            .WithSummary("Create a campaign (draft) for the caller's school.").RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapGet("", ListAsync).WithName("ListCampaigns")
            .WithSummary("The campaigns of the caller's school, newest first.").RequireRoles(Readers);
        group.MapGet("/{campaignId:guid}", GetAsync).WithName("GetCampaign")
            .WithSummary("One campaign of the caller's school.").RequireRoles(Readers);
        group.MapPut("/{campaignId:guid}", UpdateAsync).WithName("UpdateCampaign")
            .WithSummary("Change a campaign's terms (not once it is closed).").RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPost("/{campaignId:guid}/open", (Guid campaignId, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct) =>
                ChangeStatusAsync(campaignId, CampaignStatus.Open, user, db, clock, ct))
            .WithName("OpenCampaign").WithSummary("Open a draft campaign for registration.").RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPost("/{campaignId:guid}/close", (Guid campaignId, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct) =>
                ChangeStatusAsync(campaignId, CampaignStatus.Closed, user, db, clock, ct))
            .WithName("CloseCampaign").WithSummary("Close a campaign: no more imports, reviews or corrections.").RequireRoles(CaptureRoles.SchoolAdmin);
        return group;
    }

    /// <summary>The campaign if the caller's school owns it.</summary>
    public static async Task<Campaign?> FindAsync(RegistrationDbContext db, Guid id, Caller caller, CancellationToken ct)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        return campaign is not null && caller.MaySeeSchool(campaign.SchoolCode) ? campaign : null;
    }

    private static async Task<Results<Created<CampaignView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CampaignTerms terms, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(user.School()))
        {
            return TypedResults.Problem("Your token carries no 'school' claim (学校代码), so no campaign can be created for you.", statusCode: StatusCodes.Status403Forbidden);
        }

        var errors = Campaign.Validate(terms);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var campaign = Campaign.Create(user.School()!, terms, clock.GetUtcNow());
        db.Campaigns.Add(campaign);
        db.AddIntegrationEvent(new CampaignCreated(campaign.Id, campaign.SchoolCode, campaign.Cohort, campaign.CreatedAt));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{RegistrationDbContext.RoutePrefix}/campaigns/{campaign.Id}", CampaignView.From(campaign));
    }

    private static async Task<Ok<List<CampaignView>>> ListAsync(ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var school = user.School();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => c.SchoolCode == school).OrderByDescending(c => c.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(campaigns.Select(CampaignView.From).ToList());
    }

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> GetAsync(Guid campaignId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct) =>
        await FindAsync(db, campaignId, Caller.From(user), ct) is { } campaign
            ? TypedResults.Ok(CampaignView.From(campaign))
            : Problems.NotFound("campaign");

    private static async Task<Results<Ok<CampaignView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid campaignId, CampaignTerms terms, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(db, campaignId, Caller.From(user), ct) is not { } campaign)
        {
            return Problems.NotFound("campaign");
        }

        var errors = Campaign.Validate(terms);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (campaign.IsClosed)
        {
            return Problems.Conflict("This campaign is closed; its terms can no longer change.");
        }

        var feeBefore = campaign.FeeFen;
        campaign.Apply(terms, clock.GetUtcNow());
        if (campaign.FeeFen != feeBefore)
        {
            // Payment re-prices unpaid orders and Scheduling's check-in asks for the new fee.
            db.AddIntegrationEvent(new CampaignFeeChanged(campaign.Id, campaign.SchoolCode, campaign.FeeFen, campaign.UpdatedAt));
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CampaignView.From(campaign));
    }

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> ChangeStatusAsync(
        Guid campaignId, string target, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(db, campaignId, Caller.From(user), ct) is not { } campaign)
        {
            return Problems.NotFound("campaign");
        }

        if (campaign.ChangeStatus(target, clock.GetUtcNow()) is { } refusal)
        {
            return Problems.Conflict(refusal);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CampaignView.From(campaign));
    }
}
