using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Payment;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// Registration and Scheduling together, as on capture day: a roster approved in Registration reaches Scheduling over
/// RabbitMQ, the student's capture code from Registration checks them in at a station (Scheduling verifying it with
/// Registration), and a revoked code is refused. Payment is not built yet, so the test publishes PaymentSucceeded.
/// </summary>
[Collection(nameof(WholeSystem))]
public sealed class CaptureDayThroughTheGatewayTests(SystemFixture fixture)
{
    [Fact]
    public async Task An_approved_student_checks_in_with_their_capture_code_and_a_revoked_code_is_refused()
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign());
        var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).EnsureSuccessStatusCode();

        var rows = RosterData.Rows(2, "law", "法学院");
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
        var station = await PostAsync(admin, $"/api/scheduling/venues/{venue}/stations", new { code = "B2", throughputPerHour = 300 });
        var day = await PostAsync(admin, "/api/scheduling/capture-days", new { campaignId = campaign, campusId = campus, date = "2030-12-18" });
        var session = await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day, venueId = venue, start = "08:00", end = "12:00" });

        // Scheduling learns of both approvals from RabbitMQ, not from the test.
        await Eventually.TrueAsync(async () =>
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/demand");
            return demand.EnumerateArray().Sum(d => d.GetProperty("headcount").GetInt32()) == 2;
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

        var codes = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, rows[i].StudentNumber, school));
            codes.Add((await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{ids[i]}/capture-code")).GetProperty("code").GetString()!);
        }

        (await admin.PostAsync($"/api/registration/registrations/{ids[1]}/capture-code/revoke", null)).EnsureSuccessStatusCode();

        using var operatorClient = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: venue.ToString()));
        JsonElement checkedIn = default;
        await Eventually.TrueAsync(async () =>
        {
            // Payments arrive over RabbitMQ: until they do, the station says "unpaid".
            using var scan = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = codes[0], sessionId = session });
            checkedIn = await scan.Content.ReadFromJsonAsync<JsonElement>();
            return scan.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(30), "a check-in by capture code");
        Assert.Equal("B2-0001", checkedIn.GetProperty("shootNumber").GetString());
        Assert.Equal(rows[0].Name, checkedIn.GetProperty("studentName").GetString());
        Assert.EndsWith(rows[0].IdNumber[^4..], checkedIn.GetProperty("maskedIdNumber").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(rows[0].IdNumber[..6], checkedIn.GetProperty("maskedIdNumber").GetString(), StringComparison.Ordinal);

        using var again = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = codes[0], sessionId = session });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("B2-0001", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shootNumber").GetString());

        using var revoked = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = codes[1], sessionId = session });
        Assert.Equal(HttpStatusCode.Conflict, revoked.StatusCode);
        Assert.Contains("code-revoked", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<Guid> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await CampaignArrival.SendAsync(() => client.PostAsJsonAsync(path, body));
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
