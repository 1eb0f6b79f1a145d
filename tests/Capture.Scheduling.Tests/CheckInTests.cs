using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Scheduling;
using Capture.Scheduling.Apis;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.Testing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Scheduling.Tests;

/// <summary>Capture-day check-in on the real database and broker, with Registration's capture-code endpoint stood in over HTTP.</summary>
public sealed class CheckInTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private const string Prefix = SchedulingDbContext.RoutePrefix;

    private static async Task<HttpResponseMessage> ScanAsync(HttpClient client, Guid stationId, object body) =>
        await client.PostAsJsonAsync($"{Prefix}/stations/{stationId}/check-ins", body);

    private async Task<(CaptureWorld World, VenueResponse Venue, SessionResponse Session, List<StationResponse> Stations)> OneSessionAsync(int stations = 1)
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var list = new List<StationResponse>();
        for (var i = 1; i <= stations; i++)
        {
            list.Add(await world.StationAsync(venue.Id, $"B{i}", 200));
        }

        var session = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        return (world, venue, session, list);
    }

    [Fact]
    public async Task Fifty_concurrent_scans_at_one_station_get_fifty_distinct_consecutive_shoot_numbers()
    {
        var (world, venue, session, stations) = await OneSessionAsync();
        var students = await world.ApproveAsync("law", 50);
        await world.AllocateAsync(session.Id, "law", 50);
        using var op = world.Operator(venue.Id);

        var responses = await Task.WhenAll(students.Select(s => ScanAsync(op, stations[0].Id, new { captureCode = s.CaptureCode, sessionId = session.Id })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = (await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<CheckInResponse>()))).Select(c => c!.ShootNumber).ToList();
        Assert.Equal(50, numbers.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"B1-{i:D4}"), numbers.Order());
        Assert.Equal(50, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.SessionId == session.Id)));
        Assert.Equal(50, await world.EventsAsync("StudentCheckedIn", session.Id));
    }

    [Fact]
    public async Task A_new_station_announces_its_venue_and_school_so_photo_uploads_can_be_scoped()
    {
        var (world, venue, _, stations) = await OneSessionAsync();
        var rows = await Eventually.GetAsync(
            () => world.CountAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(StationOpened).FullName).ToListAsync()),
            rows => rows.Any(r => r.Body.Contains(stations[0].Id.ToString(), StringComparison.Ordinal) && r.PublishedAt is not null),
            what: "the StationOpened event published");
        var @event = JsonSerializer.Deserialize<StationOpened>(rows.Single(r => r.Body.Contains(stations[0].Id.ToString(), StringComparison.Ordinal)).Body, JsonSerializerOptions.Web)!;
        Assert.Equal(venue.Id, @event.VenueId);
        Assert.Equal(world.School, @event.SchoolCode);
        Assert.Equal(stations[0].Code, @event.Code);
    }

    [Fact]
    public async Task Stations_are_announced_again_on_request_a_school_admin_for_their_own_school_only()
    {
        var (schoolA, _, _, stationsA) = await OneSessionAsync(stations: 2);
        var (schoolB, _, _, stationsB) = await OneSessionAsync();
        Task<int> Announcements(Guid station) => schoolA.EventsAsync(nameof(StationOpened), station);
        Assert.Equal(1, await Announcements(stationsA[1].Id));

        using (var admin = schoolA.Admin())
        {
            var announced = await schoolA.PostAsync<PlacesApi.StationsAnnounced>(admin, "/stations/announce", new { });
            Assert.Equal(2, announced.Stations);
        }

        Assert.Equal((2, 2, 1), (await Announcements(stationsA[0].Id), await Announcements(stationsA[1].Id), await Announcements(stationsB[0].Id)));
        using var ops = app.Service.CreateClient(TestTokens.For(Capture.ServiceDefaults.Security.CaptureRoles.Ops, school: null));
        (await ops.PostAsync($"{Prefix}/stations/announce", null)).EnsureSuccessStatusCode();
        Assert.Equal(2, await Announcements(stationsB[0].Id));
        Assert.Equal(schoolB.School, JsonSerializer.Deserialize<StationOpened>(
            (await schoolB.CountAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(StationOpened).FullName).ToListAsync()))
                .Last(m => m.Body.Contains(stationsB[0].Id.ToString(), StringComparison.Ordinal)).Body, JsonSerializerOptions.Web)!.SchoolCode);
    }

    [Fact]
    public async Task The_StudentCheckedIn_event_carries_the_issued_shoot_number_and_numbers_past_9999_keep_every_digit()
    {
        var (world, venue, session, stations) = await OneSessionAsync();
        var students = await world.ApproveAsync("hist", 3);
        await world.AllocateAsync(session.Id, "hist", 3);
        using var op = world.Operator(venue.Id);
        var first = await (await ScanAsync(op, stations[0].Id, new { captureCode = students[0].CaptureCode, sessionId = session.Id })).Content.ReadFromJsonAsync<CheckInResponse>();
        Assert.Equal("B1-0001", first!.ShootNumber);

        // A long day at a busy station: the running number goes past four digits.
        await world.CountAsync(db => db.StationDayCounters.Where(c => c.StationId == stations[0].Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.LastSequence, 9998)));
        var later = new List<CheckInResponse>();
        foreach (var student in students.Skip(1))
        {
            var response = await ScanAsync(op, stations[0].Id, new { captureCode = student.CaptureCode, sessionId = session.Id });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            later.Add((await response.Content.ReadFromJsonAsync<CheckInResponse>())!);
        }

        Assert.Equal([ShootNumber.Format("B1", 9999), ShootNumber.Format("B1", 10000)], later.Select(c => c.ShootNumber));
        Assert.Equal(["B1-9999", "B1-10000"], later.Select(c => c.ShootNumber));

        // Each check-in's event says the same shoot number, for the same student, and the relay publishes it.
        foreach (var checkIn in later.Prepend(first))
        {
            var row = await Eventually.GetAsync(
                () => world.CountAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(StudentCheckedIn).FullName).ToListAsync()),
                rows => rows.Any(r => r.Body.Contains(checkIn.RegistrationId.ToString(), StringComparison.Ordinal) && r.PublishedAt is not null),
                what: "the StudentCheckedIn event published");
            var body = row.Single(r => r.Body.Contains(checkIn.RegistrationId.ToString(), StringComparison.Ordinal));
            var @event = JsonSerializer.Deserialize<StudentCheckedIn>(body.Body, JsonSerializerOptions.Web)!;
            Assert.Equal(checkIn.ShootNumber, @event.ShootNumber);
            Assert.Equal(checkIn.RegistrationId, @event.RegistrationId);
            Assert.Equal(session.Id, @event.SessionId);
            Assert.Equal(stations[0].Id.ToString(), @event.StationId);
            Assert.Equal(checkIn.CheckedInAt, @event.CheckedInAt);
            Assert.Equal(venue.Id, @event.VenueId);
            Assert.Equal(world.School, @event.SchoolCode);
        }
    }

    [Fact]
    public async Task Without_a_session_id_the_station_takes_the_session_running_now_or_the_nearest_within_an_hour()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "N1");
        var morning = await world.SessionAsync(day.Id, venue.Id, "08:00", "10:00");
        var noon = await world.SessionAsync(day.Id, venue.Id, "10:30", "12:00");
        var (_, otherVenue, otherDay) = await world.VenueAsync("east", "v2");
        var elsewhere = await world.SessionAsync(otherDay.Id, otherVenue.Id, "08:00", "10:00");
        var students = await world.ApproveAsync("geo", 3);
        await world.AllocateAsync(morning.Id, "geo", 3);
        using var op = world.Operator(venue.Id);
        DateTimeOffset At(string local) => new(world.Day.ToDateTime(TimeOnly.Parse(local, System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromHours(8));

        using (app.Service.Clock.Pin(At("09:00")))
        {
            // Both sessions are within the hour; the one running now wins.
            using var response = await ScanAsync(op, station.Id, new { captureCode = students[0].CaptureCode });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var checkIn = (await response.Content.ReadFromJsonAsync<CheckInResponse>())!;
            Assert.Equal(morning.Id, checkIn.SessionId);
            Assert.False(checkIn.Late);

            using var foreign = await ScanAsync(op, station.Id, new { captureCode = students[1].CaptureCode, sessionId = elsewhere.Id });
            Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
            Assert.True((await foreign.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.ContainsKey("sessionId"));
        }

        using (app.Service.Clock.Pin(At("12:30")))
        {
            // The morning ended over an hour ago, noon half an hour ago: a morning student is late for noon.
            using var response = await ScanAsync(op, station.Id, new { captureCode = students[1].CaptureCode });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var checkIn = (await response.Content.ReadFromJsonAsync<CheckInResponse>())!;
            Assert.Equal(noon.Id, checkIn.SessionId);
            Assert.True(checkIn.Late);
        }

        using (app.Service.Clock.Pin(At("20:00")))
        {
            using var response = await ScanAsync(op, station.Id, new { captureCode = students[2].CaptureCode });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("no-open-session", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }

        Assert.Equal(0, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.RegistrationId == students[2].RegistrationId)));
    }

    [Fact]
    public async Task Fifty_concurrent_scans_across_three_stations_give_unique_numbers_per_station()
    {
        var (world, venue, session, stations) = await OneSessionAsync(stations: 3);
        var students = await world.ApproveAsync("econ", 50);
        await world.AllocateAsync(session.Id, "econ", 50);
        using var op = world.Operator(venue.Id);

        var responses = await Task.WhenAll(students.Select((s, i) => ScanAsync(op, stations[i % 3].Id, new { captureCode = s.CaptureCode, sessionId = session.Id })));

        var results = (await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<CheckInResponse>()))).Select(c => c!).ToList();
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(50, results.Select(r => r.ShootNumber).Distinct().Count());
        foreach (var group in results.GroupBy(r => r.StationCode))
        {
            Assert.Equal(Enumerable.Range(1, group.Count()).Select(i => $"{group.Key}-{i:D4}"), group.Select(r => r.ShootNumber).Order());
        }
    }

    [Fact]
    public async Task Scanning_the_same_code_again_even_concurrently_returns_the_same_shoot_number()
    {
        var (world, venue, session, stations) = await OneSessionAsync(stations: 2);
        var student = (await world.ApproveAsync("math", 1))[0];
        await world.AllocateAsync(session.Id, "math", 10);
        using var op = world.Operator(venue.Id);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => ScanAsync(op, stations[i % 2].Id, new { captureCode = student.CaptureCode, sessionId = session.Id })));
        var again = await ScanAsync(op, stations[0].Id, new { studentNumber = student.StudentNumber, sessionId = session.Id });

        var all = (await Task.WhenAll(responses.Append(again).Select(r => r.Content.ReadFromJsonAsync<CheckInResponse>()))).Select(c => c!).ToList();
        Assert.Single(all.Select(c => c.ShootNumber).Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(all[^1].Repeated);
        Assert.Equal(1, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.RegistrationId == student.RegistrationId)));
    }

    [Fact]
    public async Task A_student_of_a_later_session_is_refused_with_where_they_belong_and_an_override_is_audited()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "A1");
        var now = await world.SessionAsync(day.Id, venue.Id, "08:00", "09:00");
        var later = await world.SessionAsync(day.Id, venue.Id, "14:00", "15:00");
        var student = (await world.ApproveAsync("art", 1))[0];
        await world.AllocateAsync(later.Id, "art", 10);
        using var op = world.Operator(venue.Id, subject: "photographer-7");

        using var refused = await ScanAsync(op, station.Id, new { captureCode = student.CaptureCode, sessionId = now.Id });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("wrong-session", problem.GetProperty("reason").GetString());
        Assert.Equal(later.Id, problem.GetProperty("belongsTo")[0].GetProperty("sessionId").GetGuid());
        Assert.Contains("14:00", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.RegistrationId == student.RegistrationId)));

        using var admitted = await ScanAsync(op, station.Id, new { captureCode = student.CaptureCode, sessionId = now.Id, overrideReason = "has a thesis defence at 14:00" });
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        var body = (await admitted.Content.ReadFromJsonAsync<CheckInResponse>())!;
        Assert.True(body.Overridden);
        var row = await world.CountAsync(db => db.CheckIns.SingleAsync(c => c.RegistrationId == student.RegistrationId));
        Assert.Equal("has a thesis defence at 14:00", row.OverrideReason);
        Assert.Equal("photographer-7", row.OverriddenBy);
    }

    [Fact]
    public async Task A_late_student_is_admitted_and_queues_after_everyone_who_came_on_time()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "C1");
        var morning = await world.SessionAsync(day.Id, venue.Id, "08:00", "09:00");
        var next = await world.SessionAsync(day.Id, venue.Id, "09:00", "10:00");
        var late = (await world.ApproveAsync("bio", 1))[0];
        var onTime = await world.ApproveAsync("chem", 2);
        await world.AllocateAsync(morning.Id, "bio", 10);
        await world.AllocateAsync(next.Id, "chem", 10);
        using var op = world.Operator(venue.Id);

        using var lateScan = await ScanAsync(op, station.Id, new { captureCode = late.CaptureCode, sessionId = next.Id });
        foreach (var s in onTime)
        {
            (await ScanAsync(op, station.Id, new { captureCode = s.CaptureCode, sessionId = next.Id })).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.Created, lateScan.StatusCode);
        var lateBody = (await lateScan.Content.ReadFromJsonAsync<CheckInResponse>())!;
        Assert.True(lateBody.Late);
        Assert.Contains(lateBody.Warnings, w => w.StartsWith("Late", StringComparison.Ordinal));
        Assert.Equal("C1-0001", lateBody.ShootNumber);

        var queue = await op.GetFromJsonAsync<StationQueue>($"{Prefix}/stations/{station.Id}/queue?sessionId={next.Id}");
        Assert.Equal([onTime[0].StudentNumber, onTime[1].StudentNumber, late.StudentNumber], queue!.Entries.Select(e => e.StudentNumber));
    }

    [Fact]
    public async Task An_unpaid_student_is_refused_and_admitted_once_PaymentSucceeded_arrives()
    {
        var (world, venue, session, stations) = await OneSessionAsync();
        var student = (await world.ApproveAsync("phys", 1, feeFen: 2000))[0];
        await world.AllocateAsync(session.Id, "phys", 10);
        using var op = world.Operator(venue.Id);

        using var refused = await ScanAsync(op, stations[0].Id, new { captureCode = student.CaptureCode, sessionId = session.Id });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("unpaid", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        await world.PayAsync(student, 2000);
        using var admitted = await ScanAsync(op, stations[0].Id, new { captureCode = student.CaptureCode, sessionId = session.Id });
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
    }

    [Fact]
    public async Task A_refunded_payment_makes_the_student_unpaid_again_and_a_free_campaign_needs_no_payment()
    {
        var (world, venue, session, stations) = await OneSessionAsync();
        var paid = (await world.ApproveAsync("geo", 1, feeFen: 1500))[0];
        var free = (await world.ApproveAsync("hist", 1, feeFen: 0))[0];
        await world.AllocateAsync(session.Id, "geo", 5);
        await world.AllocateAsync(session.Id, "hist", 5);
        var paymentId = Guid.NewGuid();
        await app.Bus.Publish(new Contracts.Payment.PaymentSucceeded(paymentId, paid.RegistrationId, world.CampaignId, 1500, "CNY", "card", DateTimeOffset.UtcNow));
        await app.Bus.Publish(new Contracts.Payment.PaymentRefunded(Guid.NewGuid(), paymentId, paid.RegistrationId, world.CampaignId, 1500, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => await world.CountAsync(db => db.Payments.AnyAsync(p => p.PaymentId == paymentId && p.RefundedAt != null && p.PaidAt != null)), what: "payment and refund");
        using var op = world.Operator(venue.Id);

        using var refused = await ScanAsync(op, stations[0].Id, new { captureCode = paid.CaptureCode, sessionId = session.Id });
        using var admitted = await ScanAsync(op, stations[0].Id, new { captureCode = free.CaptureCode, sessionId = session.Id });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
    }

    [Fact]
    public async Task When_Registration_is_down_a_code_verified_before_is_accepted_from_the_local_copy_and_an_unknown_one_is_not()
    {
        var (world, venue, session, stations) = await OneSessionAsync();
        var students = await world.ApproveAsync("cs", 2);
        await world.AllocateAsync(session.Id, "cs", 10);
        using var op = world.Operator(venue.Id);
        await using (var scope = app.Service.Services.CreateAsyncScope())
        {
            // Registration verified the first code earlier (e.g. at another station); the cache of this instance is then cold.
            var verifier = scope.ServiceProvider.GetRequiredService<CaptureCodeVerifier>();
            Assert.NotNull((await verifier.ResolveAsync(students[0].CaptureCode, null, CancellationToken.None)).Resolved);
            scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>().Remove("capture-code:" + CaptureCodeVerifier.Hash(students[0].CaptureCode));
        }

        app.Registration.Down = true;
        try
        {
            using var known = await ScanAsync(op, stations[0].Id, new { captureCode = students[0].CaptureCode, sessionId = session.Id });
            using var unknown = await ScanAsync(op, stations[0].Id, new { captureCode = students[1].CaptureCode, sessionId = session.Id });

            Assert.Equal(HttpStatusCode.Created, known.StatusCode);
            Assert.Contains((await known.Content.ReadFromJsonAsync<CheckInResponse>())!.Warnings, w => w.Contains("unreachable", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unknown.StatusCode);
            Assert.Contains("student card", (await unknown.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
        }
        finally
        {
            app.Registration.Down = false;
        }
    }

    [Fact]
    public async Task A_revoked_code_is_refused_an_unknown_code_is_invalid_and_a_cached_code_does_not_ask_Registration_again()
    {
        var (world, venue, session, stations) = await OneSessionAsync();
        var students = await world.ApproveAsync("med", 2);
        await world.AllocateAsync(session.Id, "med", 10);
        app.Registration.Revoke(students[1].CaptureCode);
        using var op = world.Operator(venue.Id);

        using var revoked = await ScanAsync(op, stations[0].Id, new { captureCode = students[1].CaptureCode, sessionId = session.Id });
        using var invalid = await ScanAsync(op, stations[0].Id, new { captureCode = "not-a-code", sessionId = session.Id });
        (await ScanAsync(op, stations[0].Id, new { captureCode = students[0].CaptureCode, sessionId = session.Id })).EnsureSuccessStatusCode();
        var calls = app.Registration.Calls;
        (await ScanAsync(op, stations[0].Id, new { captureCode = students[0].CaptureCode, sessionId = session.Id })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Conflict, revoked.StatusCode);
        Assert.Equal("code-revoked", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.ContainsKey("captureCode"));
        Assert.Equal(calls, app.Registration.Calls);
    }

    [Fact]
    public async Task An_operator_of_another_venue_is_refused_and_nothing_is_recorded()
    {
        var (world, _, session, stations) = await OneSessionAsync();
        var student = (await world.ApproveAsync("law", 1))[0];
        await world.AllocateAsync(session.Id, "law", 5);
        using var stranger = world.Operator(Guid.NewGuid());

        using var response = await ScanAsync(stranger, stations[0].Id, new { captureCode = student.CaptureCode, sessionId = session.Id });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.RegistrationId == student.RegistrationId)));
    }

    [Fact]
    public async Task An_operator_at_a_venue_of_one_school_cannot_check_in_another_schools_student_by_code_or_card_and_learns_nothing()
    {
        var (schoolA, venueA, sessionA, stationsA) = await OneSessionAsync();
        await schoolA.AllocateAsync(sessionA.Id, "law", 5);
        var (schoolB, venueB, sessionB, stationsB) = await OneSessionAsync();
        var student = (await schoolB.ApproveAsync("law", 1))[0];
        await schoolB.AllocateAsync(sessionB.Id, "law", 5);
        using var opA = schoolA.Operator(venueA.Id);
        using var opB = schoolB.Operator(venueB.Id);

        // The code checks in at its own school's venue (so Scheduling has it cached and stored) ...
        using (var own = await ScanAsync(opB, stationsB[0].Id, new { captureCode = student.CaptureCode, sessionId = sessionB.Id }))
        {
            Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        }

        // ... and at the other school's venue it is an unknown code, whether Registration answers (the stand-in does
        // not scope), the cache does, or the stored copy does while Registration is down; by card it is no student.
        var answers = new List<HttpResponseMessage>
        {
            await ScanAsync(opA, stationsA[0].Id, new { captureCode = student.CaptureCode, sessionId = sessionA.Id }),
            await ScanAsync(opA, stationsA[0].Id, new { studentNumber = student.StudentNumber, sessionId = sessionA.Id }),
        };
        app.Registration.Down = true;
        try
        {
            var cache = (Microsoft.Extensions.Caching.Memory.MemoryCache)app.Service.Services.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>();
            cache.Clear();
            answers.Add(await ScanAsync(opA, stationsA[0].Id, new { captureCode = student.CaptureCode, sessionId = sessionA.Id }));
        }
        finally
        {
            app.Registration.Down = false;
        }

        foreach (var answer in answers)
        {
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{(int)answer.StatusCode}: {text}");
            Assert.DoesNotContain(student.Name, text, StringComparison.Ordinal);
            Assert.DoesNotContain(student.RegistrationId.ToString(), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("other-campaign", text, StringComparison.Ordinal);
            answer.Dispose();
        }

        Assert.Equal(0, await schoolA.CountAsync(db => db.CheckIns.CountAsync(c => c.RegistrationId == student.RegistrationId && c.SessionId == sessionA.Id)));
    }

    [Fact]
    public async Task A_photographed_student_is_refused_at_another_session_as_captured_already()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "D1");
        var first = await world.SessionAsync(day.Id, venue.Id, "08:00", "09:00");
        var second = await world.SessionAsync(day.Id, venue.Id, "09:00", "10:00");
        var student = (await world.ApproveAsync("agri", 1))[0];
        await world.AllocateAsync(first.Id, "agri", 5);
        using var op = world.Operator(venue.Id);
        using var scan = await ScanAsync(op, station.Id, new { captureCode = student.CaptureCode, sessionId = first.Id });
        var checkIn = (await scan.Content.ReadFromJsonAsync<CheckInResponse>())!;
        (await op.PutAsJsonAsync($"{Prefix}/check-ins/{checkIn.CheckInId}/status", new { status = "photographed" })).EnsureSuccessStatusCode();

        using var again = await ScanAsync(op, station.Id, new { captureCode = student.CaptureCode, sessionId = second.Id });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("already-captured", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        var queue = await op.GetFromJsonAsync<StationQueue>($"{Prefix}/stations/{station.Id}/queue?sessionId={first.Id}");
        Assert.Equal(1, queue!.Photographed);
        Assert.Empty(queue.Entries);
    }

    [Fact]
    public async Task A_photo_accepted_by_CaptureIngest_marks_the_check_in_photographed_and_a_later_scan_is_refused()
    {
        var world = new CaptureWorld(app);
        var (_, venue, day) = await world.VenueAsync();
        var station = await world.StationAsync(venue.Id, "E1");
        var first = await world.SessionAsync(day.Id, venue.Id, "08:00", "09:00");
        var second = await world.SessionAsync(day.Id, venue.Id, "09:00", "10:00");
        var student = (await world.ApproveAsync("med", 1))[0];
        await world.AllocateAsync(first.Id, "med", 5);
        using var op = world.Operator(venue.Id);
        using var scan = await ScanAsync(op, station.Id, new { captureCode = student.CaptureCode, sessionId = first.Id });
        var checkIn = (await scan.Content.ReadFromJsonAsync<CheckInResponse>())!;

        var accepted = new Capture.Contracts.CaptureIngest.PhotoAccepted(
            Guid.NewGuid(), student.RegistrationId, world.CampaignId, world.School, station.Id.ToString(), checkIn.ShootNumber,
            "k.jpg", new string('a', 64), true, [], "system:auto-accept", DateTimeOffset.UtcNow);
        await app.Bus.Publish(accepted);
        await app.Bus.Publish(accepted);
        await Eventually.TrueAsync(
            () => world.CountAsync(db => db.CheckIns.AnyAsync(c => c.Id == checkIn.CheckInId && c.Status == CheckInStatus.Photographed)),
            what: "the check-in marked photographed");

        using var again = await ScanAsync(op, station.Id, new { captureCode = student.CaptureCode, sessionId = second.Id });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("already-captured", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Bad_input_is_a_validation_problem_naming_the_field()
    {
        var (world, venue, _, stations) = await OneSessionAsync();
        using var op = world.Operator(venue.Id);

        using var neither = await ScanAsync(op, stations[0].Id, new { });
        using var both = await ScanAsync(op, stations[0].Id, new { captureCode = "x", studentNumber = "y" });

        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.True((await neither.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.ContainsKey("captureCode"));
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(0, await world.CountAsync(db => db.CheckIns.CountAsync(c => c.StationId == stations[0].Id)));
    }
}
