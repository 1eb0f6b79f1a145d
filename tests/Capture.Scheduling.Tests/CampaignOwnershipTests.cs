using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Tests;

/// <summary>A campaign belongs to the school that created it in Registration: no other school can plan it, and nobody can claim an unknown one.</summary>
public sealed class CampaignOwnershipTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    [Fact]
    public async Task Another_school_cannot_create_a_capture_day_for_a_campaign_that_is_not_its_own()
    {
        var owner = new CaptureWorld(app);
        await owner.VenueAsync();
        var stranger = new CaptureWorld(app);
        using var strangerAdmin = stranger.Admin();
        var campus = await stranger.PostAsync<Capture.Scheduling.Apis.CampusResponse>(strangerAdmin, "/campuses", new { code = "x", name = "x校区" });

        using var response = await strangerAdmin.PostAsJsonAsync(SchedulingDbContext.RoutePrefix + "/capture-days", new { campaignId = owner.CampaignId, campusId = campus.Id, date = "2030-10-26" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, await owner.CountAsync(db => db.CaptureDays.CountAsync(d => d.CampaignId == owner.CampaignId)));
        using var demand = await strangerAdmin.GetAsync($"{SchedulingDbContext.RoutePrefix}/campaigns/{owner.CampaignId}/demand");
        Assert.True(demand.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{(int)demand.StatusCode}");
    }

    [Fact]
    public async Task A_campaign_scheduling_has_not_heard_of_is_refused_not_claimed()
    {
        var world = new CaptureWorld(app);
        using var admin = world.Admin();
        var campus = await world.PostAsync<Capture.Scheduling.Apis.CampusResponse>(admin, "/campuses", new { code = "y", name = "y校区" });
        var unknown = Guid.NewGuid();
        using var response = await admin.PostAsJsonAsync(SchedulingDbContext.RoutePrefix + "/capture-days", new { campaignId = unknown, campusId = campus.Id, date = "2030-10-26" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("campaign-unknown", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.False(await world.CountAsync(db => db.Plans.AnyAsync(p => p.CampaignId == unknown)));

        // Once Registration's CampaignCreated names another school, this school still cannot claim it.
        await app.Bus.Publish(new CampaignCreated(unknown, "99999", "2025届", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => world.CountAsync(db => db.Campaigns.AnyAsync(c => c.CampaignId == unknown)));
        using var again = await admin.PostAsJsonAsync(SchedulingDbContext.RoutePrefix + "/capture-days", new { campaignId = unknown, campusId = campus.Id, date = "2030-10-26" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
