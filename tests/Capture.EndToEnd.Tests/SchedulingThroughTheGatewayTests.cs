using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Payment;
using Capture.Contracts.Registration;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// Scheduling's capture day through the gateway, with every service running as a process on the real servers.
/// Students are approved and pay through events published on the system's virtual host; they check in by student
/// card, because capture codes need the Registration service's verify endpoint (tested in-process with a stand-in
/// in Capture.Scheduling.Tests until Registration is merged).
/// </summary>
[Collection(nameof(WholeSystem))]
public sealed class SchedulingThroughTheGatewayTests(SystemFixture fixture)
{
    private sealed record Place(string School, Guid Campaign, Guid Venue, Guid Day, List<Guid> Stations);

    private async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await CampaignArrival.SendAsync(() => client.PostAsJsonAsync("/api/scheduling" + path, body));
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The campaign as Registration would announce it (these tests use no Registration campaign).</summary>
    private async Task AnnounceCampaignAsync(Guid campaign, string school)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(fixture.System.Endpoints.MessagingIn(fixture.VirtualHost))));
        await bus.StartAsync();
        try
        {
            await bus.Publish(new CampaignCreated(campaign, school, "2025届", DateTimeOffset.UtcNow));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private HttpClient Admin(string school) => fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));

    private async Task<Place> PlaceAsync(int stations)
    {
        var school = "8" + Random.Shared.Next(1000, 9999);
        var campaign = Guid.NewGuid();
        await AnnounceCampaignAsync(campaign, school);
        using var admin = Admin(school);
        var campus = (await PostAsync(admin, "/campuses", new { code = "main", name = "主校区" })).GetProperty("id").GetGuid();
        var venue = (await PostAsync(admin, "/venues", new { campusId = campus, code = "v1", name = "四教楼102", building = "四教楼", room = "102" })).GetProperty("id").GetGuid();
        var list = new List<Guid>();
        for (var i = 1; i <= stations; i++)
        {
            list.Add((await PostAsync(admin, $"/venues/{venue}/stations", new { code = $"B{i}", throughputPerHour = 300 })).GetProperty("id").GetGuid());
        }

        var day = (await PostAsync(admin, "/capture-days", new { campaignId = campaign, campusId = campus, date = "2030-12-18" })).GetProperty("id").GetGuid();
        return new Place(school, campaign, venue, day, list);
    }

    private async Task<Guid> SessionAsync(Place place, string start, string end, string kind = "regular", int? capacity = null)
    {
        using var admin = Admin(place.School);
        return (await PostAsync(admin, "/sessions", new { captureDayId = place.Day, venueId = place.Venue, start, end, kind, capacity })).GetProperty("id").GetGuid();
    }

    private async Task<List<(Guid Id, string Number)>> ApproveAsync(Place place, string college, int count, long fee = 0)
    {
        var students = Enumerable.Range(0, count).Select(_ => (Guid.NewGuid(), place.School + Guid.NewGuid().ToString("N")[..10])).ToList();
        var bus = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(fixture.System.Endpoints.MessagingIn(fixture.VirtualHost))));
        await bus.StartAsync();
        try
        {
            foreach (var (id, number) in students)
            {
                await bus.Publish(new RegistrationApproved(id, place.Campaign, place.School, college, college + "学院", null, number, "学生", "**************123X", "本科", "全日制", null, fee, DateTimeOffset.UtcNow));
            }
        }
        finally
        {
            await bus.StopAsync();
        }

        using var admin = Admin(place.School);
        await Eventually.TrueAsync(async () =>
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{place.Campaign}/demand");
            return demand.EnumerateArray().Where(d => d.GetProperty("collegeCode").GetString() == college).Sum(d => d.GetProperty("headcount").GetInt32()) == count;
        }, what: "approvals to reach Scheduling");
        return students;
    }

    private static Task<HttpResponseMessage> ScanAsync(HttpClient op, Guid station, string number, Guid session, string? overrideReason = null) =>
        op.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { studentNumber = number, sessionId = session, overrideReason });

    [Fact]
    public async Task Fifty_concurrent_check_ins_across_stations_get_unique_shoot_numbers_and_a_rescan_is_idempotent()
    {
        var place = await PlaceAsync(stations: 2);
        var session = await SessionAsync(place, "08:00", "10:00");
        var students = await ApproveAsync(place, "law", 50);
        using (var admin = Admin(place.School))
        {
            await PostAsync(admin, $"/campaigns/{place.Campaign}/allocations", new { sessionId = session, collegeCode = "law", expectedHeadcount = 50 });
        }

        using var op = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: null, venue: place.Venue.ToString()));
        var responses = await Task.WhenAll(students.Select((s, i) => ScanAsync(op, place.Stations[i % 2], s.Number, session)));
        using var rescan = await ScanAsync(op, place.Stations[1], students[0].Number, session);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = (await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()))).Select(b => b.GetProperty("shootNumber").GetString()!).ToList();
        Assert.Equal(50, numbers.Distinct().Count());
        Assert.Equal(25, numbers.Count(n => n.StartsWith("B1-", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, rescan.StatusCode);
        Assert.Equal(numbers[0], (await rescan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shootNumber").GetString());
    }

    [Fact]
    public async Task Wrong_session_is_refused_and_overridable_late_is_admitted_and_unpaid_is_admitted_after_payment()
    {
        var place = await PlaceAsync(stations: 1);
        var morning = await SessionAsync(place, "08:00", "09:00");
        var noon = await SessionAsync(place, "11:00", "12:00");
        var afternoon = await SessionAsync(place, "14:00", "15:00");
        var early = (await ApproveAsync(place, "bio", 1))[0];
        var later = (await ApproveAsync(place, "art", 1))[0];
        var unpaid = (await ApproveAsync(place, "law", 1, fee: 2000))[0];
        using (var admin = Admin(place.School))
        {
            await PostAsync(admin, $"/campaigns/{place.Campaign}/allocations", new { sessionId = morning, collegeCode = "bio", expectedHeadcount = 5 });
            await PostAsync(admin, $"/campaigns/{place.Campaign}/allocations", new { sessionId = afternoon, collegeCode = "art", expectedHeadcount = 5 });
            await PostAsync(admin, $"/campaigns/{place.Campaign}/allocations", new { sessionId = noon, collegeCode = "law", expectedHeadcount = 5 });
        }

        using var op = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, subject: "op-e2e", school: null, venue: place.Venue.ToString()));
        var station = place.Stations[0];

        using var wrong = await ScanAsync(op, station, later.Number, noon);
        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        Assert.Equal(afternoon, (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("belongsTo")[0].GetProperty("sessionId").GetGuid());
        using var overridden = await ScanAsync(op, station, later.Number, noon, "exam in the afternoon");
        Assert.Equal(HttpStatusCode.Created, overridden.StatusCode);

        using var late = await ScanAsync(op, station, early.Number, noon);
        Assert.True((await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("late").GetBoolean());

        using var refused = await ScanAsync(op, station, unpaid.Number, noon);
        Assert.Equal("unpaid", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        var bus = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(fixture.System.Endpoints.MessagingIn(fixture.VirtualHost))));
        await bus.StartAsync();
        await bus.Publish(new PaymentSucceeded(Guid.NewGuid(), unpaid.Id, place.Campaign, 2000, "CNY", "wechat", DateTimeOffset.UtcNow));
        await bus.StopAsync();
        await Eventually.TrueAsync(async () => (await ScanAsync(op, station, unpaid.Number, noon)).StatusCode == HttpStatusCode.Created, what: "the payment to admit the student");
    }

    [Fact]
    public async Task One_hundred_concurrent_makeup_bookings_for_ten_places_give_exactly_ten()
    {
        var place = await PlaceAsync(stations: 1);
        var regular = await SessionAsync(place, "08:00", "12:00");
        var students = await ApproveAsync(place, "eng", 100);
        using (var admin = Admin(place.School))
        {
            await PostAsync(admin, $"/campaigns/{place.Campaign}/allocations", new { sessionId = regular, collegeCode = "eng", expectedHeadcount = 100 });
            await PostAsync(admin, $"/sessions/{regular}/close", new { });
        }

        var makeup = await SessionAsync(place, "14:00", "16:00", kind: "makeup", capacity: 10);
        var clients = students.Select(s => fixture.CreateClient(TestTokens.For(CaptureRoles.Student, subject: s.Number, school: place.School))).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.PostAsync($"/api/scheduling/makeup-sessions/{makeup}/bookings", null)));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(90, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        using var admin2 = Admin(place.School);
        var sessions = await admin2.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{place.Campaign}/sessions");
        Assert.Equal(10, sessions.EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == makeup).GetProperty("booked").GetInt32());
        clients.ForEach(c => c.Dispose());
    }
}
