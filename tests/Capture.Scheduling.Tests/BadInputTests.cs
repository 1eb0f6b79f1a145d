using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Scheduling.Apis;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Capture.Scheduling.Tests;

/// <summary>
/// Bad input is a 400 naming the field, never a 500, for every Scheduling endpoint family: text one character over
/// its column, control characters (NUL), text-direction overrides, numbers past their bounds, enum values given as
/// numbers, malformed capture codes (even while Registration is down). Each case also checks that nothing was saved.
/// </summary>
public sealed class BadInputTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Prefix = SchedulingDbContext.RoutePrefix;

    public static TheoryData<string> BadText => new() { "too-long", "nul", "control", "bidi" };

    private static string Bad(string kind, int max, string valid = "文汇楼") => kind switch
    {
        "too-long" => new string('文', max + 1),
        "nul" => valid + "\0",
        "control" => valid + "\u001B",
        "bidi" => valid + "\u202E" + "1",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string MessageFor(string kind) => kind switch
    {
        "too-long" => "At most",
        "nul" => "NUL",
        "control" => "Control characters",
        _ => "Text-direction",
    };

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string field, string? messagePart = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        var errors = problem.GetProperty("errors");
        var key = errors.EnumerateObject().Select(p => p.Name).FirstOrDefault(k => string.Equals(k, field, StringComparison.Ordinal));
        Assert.True(key is not null, $"no error for '{field}' in {text}");
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, errors.GetProperty(key).EnumerateArray().First().GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Campuses_venues_and_stations_with_bad_text_are_400_naming_the_field_and_nothing_is_created(string kind)
    {
        var world = new CaptureWorld(app);
        var (campus, venue, _) = await world.VenueAsync();
        using var admin = world.Admin();

        await AssertBadRequestAsync(await admin.PostAsJsonAsync($"{Prefix}/campuses", new { code = Bad(kind, 32, "east"), name = "东校区" }), "code", MessageFor(kind));
        await AssertBadRequestAsync(await admin.PostAsJsonAsync($"{Prefix}/campuses", new { code = "east", name = Bad(kind, 128, "东校区") }), "name", MessageFor(kind));
        Assert.Single(await admin.GetFromJsonAsync<List<CampusResponse>>($"{Prefix}/campuses") ?? []);

        foreach (var (field, max) in new[] { ("code", 32), ("name", 128), ("building", 128), ("room", 64) })
        {
            var body = new Dictionary<string, object> { ["campusId"] = campus.Id, ["code"] = "v2", ["name"] = "图书馆", ["building"] = "图书馆", ["room"] = "B1" };
            body[field] = Bad(kind, max);
            await AssertBadRequestAsync(await admin.PostAsJsonAsync($"{Prefix}/venues", body), field, MessageFor(kind));
        }

        Assert.Single(await admin.GetFromJsonAsync<List<VenueResponse>>($"{Prefix}/venues") ?? []);

        await AssertBadRequestAsync(
            await admin.PostAsJsonAsync($"{Prefix}/venues/{venue.Id}/stations", new { code = "B1", name = Bad(kind, 128, "Camera"), throughputPerHour = 100 }), "name", MessageFor(kind));
        Assert.Equal(0, await world.CountAsync(db => db.Stations.CountAsync(s => s.VenueId == venue.Id)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100_001)]
    [InlineData(int.MaxValue)]
    public async Task A_session_capacity_out_of_bounds_is_400(int capacity)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        using var admin = world.Admin();
        using var response = await admin.PostAsJsonAsync($"{Prefix}/sessions", new { captureDayId = day.Id, venueId = venue.Id, start = "08:00", end = "09:00", kind = "makeup", capacity });
        await AssertBadRequestAsync(response, "capacity", "from 0 to 100000");
        Assert.Equal(0, await world.CountAsync(db => db.Sessions.CountAsync(s => s.VenueId == venue.Id)));
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task A_session_kind_with_bad_text_is_400(string kind)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        using var admin = world.Admin();
        using var response = await admin.PostAsJsonAsync($"{Prefix}/sessions", new { captureDayId = day.Id, venueId = venue.Id, start = "08:00", end = "09:00", kind = Bad(kind, 16, "makeup"), capacity = 5 });
        await AssertBadRequestAsync(response, "kind");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(int.MaxValue)]
    public async Task An_allocation_headcount_out_of_bounds_is_400_and_cannot_overflow_the_capacity_check(int headcount)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        await world.StationAsync(venue.Id, "B1", 100);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        await world.AllocateAsync(session.Id, "law", 150);
        using var admin = world.Admin();

        using var created = await admin.PostAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/allocations", new { sessionId = session.Id, collegeCode = "med", expectedHeadcount = headcount });
        await AssertBadRequestAsync(created, "expectedHeadcount");
        var allocation = await world.CountAsync(db => db.Allocations.SingleAsync(a => a.SessionId == session.Id));
        using var updated = await admin.PutAsJsonAsync($"{Prefix}/allocations/{allocation.Id}", new { expectedHeadcount = headcount });
        await AssertBadRequestAsync(updated, "expectedHeadcount");
        Assert.Equal(150, (await world.CountAsync(db => db.Allocations.SingleAsync(a => a.Id == allocation.Id))).ExpectedHeadcount);
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Plan_text_with_bad_characters_is_400_allocations_class_slots_and_instructions(string kind)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        await world.StationAsync(venue.Id, "B1", 100);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        using var admin = world.Admin();

        await AssertBadRequestAsync(
            await admin.PostAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/allocations", new { sessionId = session.Id, collegeCode = Bad(kind, 64, "law"), expectedHeadcount = 10 }),
            "collegeCode", MessageFor(kind));
        await world.AllocateAsync(session.Id, "law", 10);
        var allocation = await world.CountAsync(db => db.Allocations.SingleAsync(a => a.SessionId == session.Id));

        using var classes = await admin.PutAsJsonAsync($"{Prefix}/allocations/{allocation.Id}/classes", new[] { new { className = Bad(kind, 128, "计算机2101"), start = "08:00", end = "08:30" } });
        await AssertBadRequestAsync(classes, "request[0].className", MessageFor(kind));
        Assert.Equal(0, await world.CountAsync(db => db.ClassSlots.CountAsync(c => c.AllocationId == allocation.Id)));

        using var published = await admin.PostAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/plan/publish", new { instructions = Bad(kind, 2000, "带学生证") });
        await AssertBadRequestAsync(published, "instructions", MessageFor(kind));
        Assert.False((await world.CountAsync(db => db.Plans.SingleAsync(p => p.CampaignId == world.CampaignId))).IsPublished);
    }

    [Fact]
    public async Task More_class_slots_than_an_allocation_takes_are_400()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        await world.StationAsync(venue.Id, "B1", 100);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        await world.AllocateAsync(session.Id, "law", 10);
        var allocation = await world.CountAsync(db => db.Allocations.SingleAsync(a => a.SessionId == session.Id));
        using var admin = world.Admin();
        var slots = Enumerable.Range(0, SessionLimits.MaxClassSlots + 1).Select(i => new { className = "班" + i, start = "08:00", end = "08:01" });
        await AssertBadRequestAsync(await admin.PutAsJsonAsync($"{Prefix}/allocations/{allocation.Id}/classes", slots), "body", "at most 500");
    }

    /// <summary>Every wrong shape: another prefix, short, long, characters outside base64url, NUL.</summary>
    public static TheoryData<string> MalformedCodes => new()
    {
        "C1",
        "not-a-code",
        "X1" + new string('A', 48),
        "C1" + new string('A', 47),
        "C1" + new string('A', 49),
        "C1" + new string('A', 46) + "+/",
        "C1" + new string('A', 47) + "\0",
        "C1" + new string('A', 47) + "汉",
    };

    [Theory]
    [MemberData(nameof(MalformedCodes))]
    public async Task A_malformed_capture_code_is_400_at_once_even_while_Registration_is_down(string code)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "B1", 100);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        using var op = world.Operator(venue.Id);
        var calls = app.Registration.Calls;
        app.Registration.Down = true;
        try
        {
            using var response = await op.PostAsJsonAsync($"{Prefix}/stations/{station.Id}/check-ins", new { captureCode = code, sessionId = session.Id });
            await AssertBadRequestAsync(response, "captureCode", code.Contains('\0', StringComparison.Ordinal) ? "NUL" : "capture code");
        }
        finally
        {
            app.Registration.Down = false;
        }

        Assert.Equal(calls, app.Registration.Calls);
        Assert.Equal(0, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.StationId == station.Id)));
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task A_check_in_with_a_bad_student_number_or_override_reason_is_400(string kind)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "B1", 100);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        var student = (await world.ApproveAsync("law", 1))[0];
        using var op = world.Operator(venue.Id);

        await AssertBadRequestAsync(
            await op.PostAsJsonAsync($"{Prefix}/stations/{station.Id}/check-ins", new { studentNumber = Bad(kind, 64, student.StudentNumber), sessionId = session.Id }),
            "studentNumber", MessageFor(kind));
        await AssertBadRequestAsync(
            await op.PostAsJsonAsync($"{Prefix}/stations/{station.Id}/check-ins", new { captureCode = student.CaptureCode, sessionId = session.Id, overrideReason = Bad(kind, 500, "学院同意") }),
            "overrideReason", MessageFor(kind));
        Assert.Equal(0, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.StationId == station.Id)));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("99")]
    [InlineData("-1")]
    [InlineData("Called, Absent")]
    [InlineData("photographed\u0000")]
    [InlineData("")]
    public async Task A_queue_status_is_accepted_by_name_only(string status)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "B1", 100);
        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        var student = (await world.ApproveAsync("law", 1))[0];
        await world.AllocateAsync(session.Id, "law", 1);
        using var op = world.Operator(venue.Id);
        var checkIn = await (await op.PostAsJsonAsync($"{Prefix}/stations/{station.Id}/check-ins", new { captureCode = student.CaptureCode, sessionId = session.Id }))
            .Content.ReadFromJsonAsync<CheckInResponse>();

        using var response = await op.PutAsJsonAsync($"{Prefix}/check-ins/{checkIn!.CheckInId}/status", new { status });
        await AssertBadRequestAsync(response, "status");
        Assert.Equal(CheckInStatus.CheckedIn, (await world.CountAsync(db => db.CheckIns.SingleAsync(c => c.Id == checkIn.CheckInId))).Status);

        using var named = await op.PutAsJsonAsync($"{Prefix}/check-ins/{checkIn.CheckInId}/status", new { status = "called" });
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task A_makeup_grant_with_a_bad_reason_is_400_and_grants_nothing(string kind)
    {
        var world = new CaptureWorld(app);
        await world.CampaignAsync();
        var student = (await world.ApproveAsync("law", 1))[0];
        using var admin = world.Admin();
        using var response = await admin.PostAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/makeup-eligibility", new { registrationId = student.RegistrationId, reason = Bad(kind, 32, "recapture") });
        await AssertBadRequestAsync(response, "reason", MessageFor(kind));
        Assert.Equal(0, await world.CountAsync(db => db.MakeupEligibilities.CountAsync(e => e.RegistrationId == student.RegistrationId)));
    }

    [Fact]
    public void A_session_capacity_cannot_overflow_however_many_stations_a_venue_has()
    {
        var start = new DateTimeOffset(2030, 10, 25, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(SessionLimits.MaxCapacity, SessionCapacity.Of(start, start.AddHours(16), Enumerable.Repeat(int.MaxValue, 1000)));
        Assert.Equal(300, SessionCapacity.Of(start, start.AddHours(1.5), [100, 100]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_1_MB_is_413_naming_the_limit_and_nothing_is_created(bool declared)
    {
        var world = new CaptureWorld(app);
        var body = new Capture.Testing.RepeatedBodyStream("{\"code\":\"big\",\"name\":\"", "文", 400_000, "\"}");
        var content = new StreamContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (declared)
        {
            content.Headers.ContentLength = body.BodyLength;
        }

        using var admin = world.Admin();
        using var response = await admin.PostAsync($"{Prefix}/campuses", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("at most 1 MB", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await admin.GetFromJsonAsync<List<CampusResponse>>($"{Prefix}/campuses"))!);
    }
}
