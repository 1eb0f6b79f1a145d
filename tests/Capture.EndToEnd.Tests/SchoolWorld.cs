using System.Net.Http.Json;
using System.Text.Json;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using static Capture.EndToEnd.Tests.PaymentSteps;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// A school of its own on the whole system, set up through the gateway: an open campaign with one approved student of the
/// college "law", their capture code, and a campus, venue, station, capture day and session; Scheduling has heard of the
/// approval (its demand counts the student).
/// </summary>
public sealed record SchoolWorld(string Code, Guid Campaign, RosterData.Row Row, Guid RegistrationId, string CaptureCode,
    Guid Campus, Guid Venue, Guid Station, Guid CaptureDay, Guid Session)
{
    public const string College = "law";

    public static async Task<SchoolWorld> CreateAsync(SystemFixture fixture)
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        var campaign = await PostAsync(admin, "/api/registration/campaigns", RosterData.Campaign());
        (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).EnsureSuccessStatusCode();
        var row = RosterData.Rows(1, College, "法学院")[0];
        (await admin.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = new[] { RosterData.Json(row) } })).EnsureSuccessStatusCode();
        var id = (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/students/{row.StudentNumber}")).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();
        using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, row.StudentNumber, school));
        var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{id}/capture-code")).GetProperty("code").GetString()!;

        var campus = await PostAsync(admin, "/api/scheduling/campuses", new { code = "main", name = "城关校区" });
        var venue = await PostAsync(admin, "/api/scheduling/venues", new { campusId = campus, code = "gym", name = "体育馆", building = "体育馆", room = "1F" });
        var station = await PostAsync(admin, $"/api/scheduling/venues/{venue}/stations", new { code = "S1", throughputPerHour = 300 });
        var day = await PostAsync(admin, "/api/scheduling/capture-days", new { campaignId = campaign, campusId = campus, date = "2030-12-20" });
        var session = await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day, venueId = venue, start = "08:00", end = "12:00" });
        await Eventually.TrueAsync(async () =>
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/demand");
            return demand.EnumerateArray().Sum(d => d.GetProperty("headcount").GetInt32()) == 1;
        }, TimeSpan.FromSeconds(60), "RegistrationApproved to reach Scheduling");
        return new SchoolWorld(school, campaign, row, id, code, campus, venue, station, day, session);
    }
}
