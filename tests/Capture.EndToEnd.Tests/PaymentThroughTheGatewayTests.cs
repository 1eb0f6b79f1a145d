using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using static Capture.EndToEnd.Tests.PaymentSteps;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// No pay, no capture, end to end through the gateway with the WeChat Pay simulator standing in for WeChat: an
/// approved student with fee 3000 is refused at check-in as unpaid, pays by the QR code, and is checked in within
/// seconds; a classmate who paid and stayed away is refunded once after the session closes, and Scheduling then
/// counts them unpaid again.
/// </summary>
[Collection(nameof(WholeSystem))]
public sealed class PaymentThroughTheGatewayTests(SystemFixture fixture)
{
    [Fact]
    public async Task Unpaid_is_refused_paying_through_the_simulator_admits_and_an_absentee_is_refunded_once()
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        var campaignBody = JsonSerializer.SerializeToNode(RosterData.Campaign())!.AsObject();
        campaignBody["feeFen"] = 3000;
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", campaignBody);
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
        var station = await PostAsync(admin, $"/api/scheduling/venues/{venue}/stations", new { code = "P1", throughputPerHour = 300 });
        var day = await PostAsync(admin, "/api/scheduling/capture-days", new { campaignId = campaign, campusId = campus, date = "2030-12-19" });
        var session = await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day, venueId = venue, start = "08:00", end = "12:00" });
        await Eventually.TrueAsync(async () =>
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/demand");
            return demand.EnumerateArray().Sum(d => d.GetProperty("headcount").GetInt32()) == 2;
        }, TimeSpan.FromSeconds(60), "RegistrationApproved to reach Scheduling");
        (await admin.PostAsync($"/api/scheduling/campaigns/{campaign}/plan/proposal", null)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/scheduling/campaigns/{campaign}/plan/publish", new { instructions = "带身份证" })).EnsureSuccessStatusCode();

        using var present = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, rows[0].StudentNumber, school));
        using var absent = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, rows[1].StudentNumber, school));
        var code = (await present.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{ids[0]}/capture-code")).GetProperty("code").GetString()!;
        using var operatorClient = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: venue.ToString()));

        // Unpaid: refused at the station.
        using (var refused = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = code, sessionId = session }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("\"unpaid\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Pays by scanning the QR code (the simulator's page stands in for the phone); the notify comes back through the gateway.
        await PayAsync(present);
        var started = DateTime.UtcNow;
        await Eventually.TrueAsync(async () =>
        {
            using var scan = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = code, sessionId = session });
            return scan.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(30), "the check-in once paid");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "a paid student is admitted within seconds");
        var paid = await OrderAsync(present, "paid");
        Assert.StartsWith("PZ", paid.GetProperty("voucherNumber").GetString(), StringComparison.Ordinal);

        // The classmate pays too, stays away; the session closes; the refund date has come and there is no makeup booking.
        await PayAsync(absent);
        var absentOrder = await OrderAsync(absent, "paid");
        (await admin.PutAsJsonAsync($"/api/payment/campaigns/{campaign}/refund-date", new { refundDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)) })).EnsureSuccessStatusCode();
        var closed = await admin.PostAsync($"/api/scheduling/sessions/{session}/close", null);
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());

        var refunded = await Eventually.GetAsync(() => OrderOrNullAsync(absent), o => o?.GetProperty("status").GetString() == "refunded", TimeSpan.FromSeconds(60), "the absentee's refund");
        Assert.Equal(absentOrder.GetProperty("id").GetGuid(), refunded!.Value.GetProperty("id").GetGuid());
        Assert.Equal("paid", (await OrderAsync(present, "paid")).GetProperty("status").GetString());
        var refunds = await admin.GetFromJsonAsync<JsonElement>($"/api/payment/refunds?campaignId={campaign}");
        Assert.Equal(1, refunds.GetArrayLength());
        Assert.Equal(3000, refunds[0].GetProperty("amountFen").GetInt64());

        // Scheduling learned the refund from PaymentRefunded: at a makeup session the absentee is unpaid again.
        var makeup = await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day, venueId = venue, start = "14:00", end = "16:00", kind = "makeup", capacity = 10 });
        var absentCode = (await absent.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{ids[1]}/capture-code")).GetProperty("code").GetString()!;
        await Eventually.TrueAsync(async () =>
        {
            using var scan = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = absentCode, sessionId = makeup });
            return scan.StatusCode == HttpStatusCode.Conflict && (await scan.Content.ReadAsStringAsync()).Contains("\"unpaid\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "Scheduling to count the refunded student unpaid");
    }

    private Task PayAsync(HttpClient student) => PaymentSteps.PayAsync(fixture.System, student);
}
