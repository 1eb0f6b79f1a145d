using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Capture.AppHost.Hosting;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using static Capture.EndToEnd.Tests.PaymentSteps;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// Check-in never depends on Payment being up (issue 10): Scheduling learns PaymentSucceeded by event and keeps it, so
/// with the payment process killed a student who paid is checked in at once, and one who did not is refused as unpaid
/// at once (no call to Payment waits for a timeout). A system of its own, because this test kills one of its services.
/// </summary>
[Collection(nameof(OwnSystems))]
public sealed class PaymentDownCheckInTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task With_Payment_killed_a_paid_student_is_checked_in_and_an_unpaid_one_refused_both_at_once()
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        var campaignBody = JsonSerializer.SerializeToNode(RosterData.Campaign())!.AsObject();
        campaignBody["feeFen"] = 3000;
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", campaignBody);
        // Once seen in CI: an answer without a body here. Say what it was if it comes back.
        Assert.True(created.StatusCode == System.Net.HttpStatusCode.Created, $"campaign: {(int)created.StatusCode} {created.ReasonPhrase} {string.Join("; ", created.Headers.Select(h => $"{h.Key}={string.Join(',', h.Value)}"))}: {await created.Content.ReadAsStringAsync()}");
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

        using var payer = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, rows[0].StudentNumber, school));
        using var nonPayer = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, rows[1].StudentNumber, school));
        await PayAsync(fixture.System, payer);
        await OrderAsync(payer, "paid");

        // PaymentSucceeded has left Payment (its outbox is empty): from here on only the broker and Scheduling hold it.
        using var ops = fixture.CreateClient(TestTokens.For(CaptureRoles.Ops));
        await Eventually.TrueAsync(async () => (await ops.GetFromJsonAsync<JsonElement>("/api/payment/ops/outbox")).GetProperty("pending").GetInt32() == 0,
            TimeSpan.FromSeconds(30), "Payment's outbox published");

        var payment = fixture.System.Resources.Single(r => r.Name == "payment").Pid!.Value;
        using (var process = Process.GetProcessById(payment))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.False(ManagedProcess.IsAlive(payment));
        using (var gone = await ops.GetAsync("/api/payment/ops/outbox"))
        {
            Assert.True(gone.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
                $"Payment should be unreachable, got {(int)gone.StatusCode}");
        }

        using var operatorClient = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: venue.ToString()));
        var paidCode = (await payer.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{ids[0]}/capture-code")).GetProperty("code").GetString()!;
        var unpaidCode = (await nonPayer.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{ids[1]}/capture-code")).GetProperty("code").GetString()!;

        // Scheduling may still be consuming the event: ask until admitted, and time each answer.
        var slowest = TimeSpan.Zero;
        await Eventually.TrueAsync(async () =>
        {
            var watch = Stopwatch.StartNew();
            using var scan = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = paidCode, sessionId = session });
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            return scan.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(30), "the paid student checked in with Payment down");
        Assert.True(slowest < TimeSpan.FromSeconds(3), $"a check-in answer took {slowest.TotalMilliseconds:F0} ms with Payment down");

        var unpaidWatch = Stopwatch.StartNew();
        using (var refused = await operatorClient.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = unpaidCode, sessionId = session }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("\"unpaid\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.True(unpaidWatch.Elapsed < TimeSpan.FromSeconds(3), $"the unpaid refusal took {unpaidWatch.Elapsed.TotalMilliseconds:F0} ms with Payment down");
    }
}

/// <summary>Tests that start a system of their own run one after the other, beside the shared one, not all at once (2 cores).</summary>
[CollectionDefinition(nameof(OwnSystems))]
public sealed class OwnSystems;
