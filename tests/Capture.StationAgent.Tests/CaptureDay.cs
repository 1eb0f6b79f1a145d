using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Payment;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;

namespace Capture.StationAgent.Tests;

/// <summary>
/// A capture day made through the gateway for one test: a school's campaign with approved, paid students, a venue
/// with stations and a session, and each student's capture code. Nothing is shared between tests.
/// </summary>
public sealed class CaptureDay
{
    public required string School { get; init; }

    public required Guid Venue { get; init; }

    public required Guid Session { get; init; }

    public required Guid CaptureDayId { get; init; }

    public required IReadOnlyList<Guid> Stations { get; init; }

    public required IReadOnlyList<string> StationCodes { get; init; }

    public required IReadOnlyList<Student> Students { get; init; }

    public sealed record Student(Guid RegistrationId, string StudentNumber, string Name, string CaptureCode);

    public static async Task<CaptureDay> CreateAsync(AgentSystemFixture fixture, int students, int stations = 1)
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign());
        var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).EnsureSuccessStatusCode();

        var rows = RosterData.Rows(students, "law", "法学院");
        (await admin.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = rows.Select(RosterData.Json) })).EnsureSuccessStatusCode();
        var ids = new List<Guid>();
        foreach (var row in rows)
        {
            var id = (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/students/{row.StudentNumber}")).GetProperty("id").GetGuid();
            (await admin.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();
            ids.Add(id);
        }

        var campus = await PostAsync(admin, "/api/scheduling/campuses", new { code = "main", name = "城关校区" });
        var venue = await PostAsync(admin, "/api/scheduling/venues", new { campusId = campus, code = "gym", name = "体育馆", building = "体育馆", room = "1F" });
        var stationIds = new List<Guid>();
        var codes = new List<string>();
        for (var i = 0; i < stations; i++)
        {
            var code = $"S{i + 1}";
            stationIds.Add(await PostAsync(admin, $"/api/scheduling/venues/{venue}/stations", new { code, throughputPerHour = 300 }));
            codes.Add(code);
        }

        var day = await PostAsync(admin, "/api/scheduling/capture-days", new { campaignId = campaign, campusId = campus, date = "2030-12-18" });
        var session = await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day, venueId = venue, start = "08:00", end = "12:00" });

        await Eventually.TrueAsync(async () =>
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/demand");
            return demand.EnumerateArray().Sum(d => d.GetProperty("headcount").GetInt32()) == students;
        }, TimeSpan.FromSeconds(60), "RegistrationApproved to reach Scheduling");
        (await admin.PostAsync($"/api/scheduling/campaigns/{campaign}/plan/proposal", null)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/scheduling/campaigns/{campaign}/plan/publish", new { instructions = "带身份证" })).EnsureSuccessStatusCode();

        var bus = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(fixture.System.Endpoints.MessagingIn(fixture.VirtualHost))));
        await bus.StartAsync();
        try
        {
            foreach (var id in ids)
            {
                await bus.Publish(new PaymentSucceeded(Guid.NewGuid(), id, campaign, 2000, "CNY", "wechat", DateTimeOffset.UtcNow));
            }
        }
        finally
        {
            await bus.StopAsync();
        }

        var list = new List<Student>();
        for (var i = 0; i < rows.Count; i++)
        {
            using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, rows[i].StudentNumber, school));
            var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{ids[i]}/capture-code")).GetProperty("code").GetString()!;
            list.Add(new Student(ids[i], rows[i].StudentNumber, rows[i].Name, code));
        }

        // CaptureIngest learns of each station from StationOpened; until then it does not know the station.
        using var op = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: venue.ToString()));
        foreach (var station in stationIds)
        {
            await Eventually.TrueAsync(
                async () => (await op.GetAsync($"/api/capture/stations/{station}/photos")).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), "StationOpened to reach CaptureIngest");
        }

        return new CaptureDay { School = school, Venue = venue, Session = session, CaptureDayId = day, Stations = stationIds, StationCodes = codes, Students = list };
    }

    public string OperatorToken() => TestTokens.For(CaptureRoles.StationOperator, school: School, venue: Venue.ToString());

    /// <summary>The station's photos of one shoot number today, as CaptureIngest lists them (oldest first).</summary>
    public async Task<List<JsonElement>> PhotosAsync(AgentSystemFixture fixture, Guid station, string shootNumber)
    {
        using var op = fixture.CreateClient(OperatorToken());
        var photos = await op.GetFromJsonAsync<JsonElement>($"/api/capture/stations/{station}/photos?shootNumber={Uri.EscapeDataString(shootNumber)}&limit=200");
        return [.. photos.EnumerateArray().Select(p => p.Clone()).OrderBy(p => p.GetProperty("uploadedAt").GetDateTimeOffset())];
    }

    /// <summary>Checks a student in directly (as another station or the web page would), waiting out "unpaid" while the payment travels.</summary>
    public async Task<string> CheckInElsewhereAsync(AgentSystemFixture fixture, Guid station, Student student)
    {
        using var op = fixture.CreateClient(OperatorToken());
        string? shootNumber = null;
        await Eventually.TrueAsync(async () =>
        {
            using var scan = await op.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = student.CaptureCode, sessionId = Session });
            if (!scan.IsSuccessStatusCode)
            {
                return false;
            }

            shootNumber = (await scan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shootNumber").GetString();
            return true;
        }, TimeSpan.FromSeconds(30), "a check-in");
        return shootNumber!;
    }

    /// <summary>Another session at the venue that day, from <paramref name="start"/> to <paramref name="end"/> (added after the plan: nobody is allocated to it).</summary>
    public async Task<Guid> AddSessionAsync(AgentSystemFixture fixture, string start, string end)
    {
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: School));
        return await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = CaptureDayId, venueId = Venue, start, end });
    }

    private static async Task<Guid> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await CampaignArrival.SendAsync(() => client.PostAsJsonAsync(path, body));
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
