using System.Net;
using System.Net.Http.Json;
using Capture.Contracts.Registration;
using Capture.Scheduling.Apis;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Tests;

/// <summary>Planning through the API: the allocator's proposal from approved registrations, edits, class times, publishing and lookups.</summary>
public sealed class PlanTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Prefix = SchedulingDbContext.RoutePrefix;

    [Fact]
    public async Task The_proposal_places_colleges_within_capacity_splits_the_oversized_one_and_reports_the_rest()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        await world.StationAsync(venue.Id, "A1", throughput: 20);
        var s8 = await world.SessionAsync(day.Id, venue.Id, "08:00", "09:00");
        var s9 = await world.SessionAsync(day.Id, venue.Id, "09:00", "10:00");
        await world.ApproveAsync("big", 30);
        await world.ApproveAsync("small", 6);
        await world.ApproveAsync("far", 3, campus: "nowhere");
        using var admin = world.Admin();

        var plan = await world.PostAsync<PlanResponse>(admin, $"/campaigns/{world.CampaignId}/plan/proposal", new { });

        Assert.All(plan.Sessions, s => Assert.True(s.Allocated <= s.Session.Capacity));
        Assert.Equal(20, plan.Sessions.Single(s => s.Session.Id == s8.Id).Session.Capacity);
        var big = plan.Sessions.SelectMany(s => s.Allocations).Where(a => a.CollegeCode == "big").OrderBy(a => a.Part).ToList();
        Assert.Equal(2, big.Count);
        Assert.Equal(30, big.Sum(a => a.ExpectedHeadcount));
        Assert.Equal([s8.Id, s9.Id], big.Select(a => a.SessionId));
        Assert.Equal(6, plan.Sessions.SelectMany(s => s.Allocations).Where(a => a.CollegeCode == "small").Sum(a => a.ExpectedHeadcount));
        var far = Assert.Single(plan.Unplaced);
        Assert.Equal(("far", 3), (far.CollegeCode, far.Headcount));
    }

    [Fact]
    public async Task A_withdrawn_registration_leaves_the_demand()
    {
        var world = new CaptureWorld(app);
        await world.VenueAsync();
        var students = await world.ApproveAsync("law", 3);
        await app.Bus.Publish(new RegistrationWithdrawn(students[0].RegistrationId, world.CampaignId, "law", "left school", DateTimeOffset.UtcNow));
        using var admin = world.Admin();

        await Eventually.TrueAsync(async () =>
            (await admin.GetFromJsonAsync<List<DemandResponse>>($"{Prefix}/campaigns/{world.CampaignId}/demand"))!.Single().Headcount == 2,
            what: "the withdrawal to reduce the demand");
    }

    [Fact]
    public async Task A_student_sees_their_session_only_after_publishing_and_each_change_of_a_published_plan_is_announced()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        await world.StationAsync(venue.Id, "A1");
        var session = await world.SessionAsync(day.Id, venue.Id, "14:00", "15:30");
        var student = (await world.ApproveAsync("lit", 1, className: "汉语言2101"))[0];
        await world.AllocateAsync(session.Id, "lit", 40);
        using var me = world.Student(student);

        Assert.Equal(HttpStatusCode.NotFound, (await me.GetAsync($"{Prefix}/me/session")).StatusCode);
        using var integration = app.Service.CreateClient(TestTokens.For(CaptureRoles.IntegrationClient, school: world.School));
        Assert.Equal(HttpStatusCode.NotFound, (await integration.GetAsync($"{Prefix}/campaigns/{world.CampaignId}/plan")).StatusCode);

        await world.PublishPlanAsync();
        var mine = await me.GetFromJsonAsync<MySessionResponse>($"{Prefix}/me/session");
        var slot = Assert.Single(mine!.Sessions);
        Assert.Equal(("14:00", "15:30", new DateOnly(2030, 10, 25)), (slot.LocalStart, slot.LocalEnd, slot.Date));
        Assert.Equal(new DateTimeOffset(2030, 10, 25, 6, 0, 0, TimeSpan.Zero), slot.StartsAt);
        Assert.Equal("带学生证和采集码", mine.WhatToBring);
        Assert.Equal(1, mine.PlanVersion);

        var pulled = await integration.GetFromJsonAsync<PlanResponse>($"{Prefix}/campaigns/{world.CampaignId}/plan");
        Assert.True(pulled!.Published);
        Assert.Equal("lit", Assert.Single(Assert.Single(pulled.Sessions).Allocations).CollegeCode);

        // 二次分配 by the college's own staff, inside the window; it changes the published plan, so version 2 is announced.
        using var staff = app.Service.CreateClient(TestTokens.For(CaptureRoles.CollegeStaff, school: world.School, college: "lit"));
        var allocation = pulled.Sessions[0].Allocations[0];
        using var outside = await staff.PutAsJsonAsync($"{Prefix}/allocations/{allocation.Id}/classes", new[] { new { className = "汉语言2101", start = "13:00", end = "14:30" } });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("14:00-15:30", (await outside.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Values.Single()[0], StringComparison.Ordinal);
        (await staff.PutAsJsonAsync($"{Prefix}/allocations/{allocation.Id}/classes", new[] { new { className = "汉语言2101", start = "14:30", end = "15:00" } })).EnsureSuccessStatusCode();
        using var otherCollege = app.Service.CreateClient(TestTokens.For(CaptureRoles.CollegeStaff, school: world.School, college: "law"));
        Assert.Equal(HttpStatusCode.NotFound, (await otherCollege.PutAsJsonAsync($"{Prefix}/allocations/{allocation.Id}/classes", Array.Empty<object>())).StatusCode);

        mine = await me.GetFromJsonAsync<MySessionResponse>($"{Prefix}/me/session");
        Assert.Equal(("14:30", "15:00"), (mine!.Sessions[0].ClassLocalStart, mine.Sessions[0].ClassLocalEnd));
        Assert.Equal(2, mine.PlanVersion);
        var events = await world.EventsAsync("SessionPlanPublished", world.CampaignId);
        Assert.Equal(2, events);
    }

    [Fact]
    public async Task An_allocation_beyond_the_session_capacity_is_refused_and_changes_nothing()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        await world.StationAsync(venue.Id, "A1", throughput: 50);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "09:00");
        await world.AllocateAsync(session.Id, "a", 30);
        using var admin = world.Admin();

        using var response = await admin.PostAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/allocations", new { sessionId = session.Id, collegeCode = "b", expectedHeadcount = 21 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains("at most 20", problem!.Errors["expectedHeadcount"][0], StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync(db => db.Allocations.CountAsync(a => a.SessionId == session.Id)));
    }

    [Fact]
    public async Task Another_school_cannot_see_or_change_the_plan()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "09:00");
        using var stranger = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "00001"));

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"{Prefix}/campaigns/{world.CampaignId}/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/allocations", new { sessionId = session.Id, collegeCode = "x", expectedHeadcount = 1 })).StatusCode);
    }
}
