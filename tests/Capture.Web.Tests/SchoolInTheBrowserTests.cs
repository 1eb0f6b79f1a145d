using System.Net.Http.Json;
using System.Text.Json;
using Capture.EndToEnd.Tests;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Capture.Web.Tests;

/// <summary>A school admin runs the planning side of a campaign in Chromium: a campaign form refused field by field,
/// then created and opened; campus, venue and station added; the allocator's proposal as a timeline with each session's
/// fill; publishing with the instructions students see.</summary>
[Collection(nameof(Pages))]
public sealed class SchoolInTheBrowserTests(SystemFixture system, BrowserFixture browser)
{
    [Fact]
    public async Task A_school_admin_creates_and_opens_a_campaign_adds_places_and_publishes_the_allocators_plan()
    {
        var school = RosterData.SchoolCode();
        var page = await browser.OpenAsync(system.System.GatewayUri);
        await page.SignInAsync(CaptureRoles.SchoolAdmin, "graduate-school", school);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/school"));
        await page.WaitForInteractiveAsync();

        // An empty form: the service's messages under the fields they name, and no campaign.
        await page.Locator("[data-test=campaign-save]").ClickAsync();
        await Expect(page.Locator("[data-test=error-cohort]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=campaign-row]")).ToHaveCountAsync(0);

        await FillCampaignAsync(page, "2026届");
        await page.Locator("[data-test=campaign-save]").ClickAsync();
        var row = page.Locator("[data-test=campaign-row]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=error-cohort]")).ToHaveCountAsync(0);

        await Expect(page.Locator("[data-test=error-registrationOpensAt]")).ToHaveCountAsync(0);
        await row.Locator("[data-test=open-campaign]").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-status", "open");

        // Places, through the page.
        await page.GotoAsync("/school/places");
        await page.WaitForInteractiveAsync();
        await page.Locator("[data-test=campus-code]").FillAsync("main");
        await page.Locator("[data-test=campus-name]").FillAsync("城关校区");
        await page.Locator("[data-test=campus-add]").ClickAsync();
        await Expect(page.Locator("[data-test=campus-row]")).ToHaveCountAsync(1);
        await page.Locator("[data-test=venue-code]").FillAsync("gym");
        await page.Locator("[data-test=venue-name]").FillAsync("体育馆");
        await page.Locator("[data-test=venue-building]").FillAsync("体育馆");
        await page.Locator("[data-test=venue-room]").FillAsync("1F");
        await page.Locator("[data-test=venue-add]").ClickAsync();
        await Expect(page.Locator("[data-test=venue-row]")).ToHaveCountAsync(1);
        await page.Locator("[data-test=station-code]").FillAsync("A1");
        await page.Locator("[data-test=station-name]").FillAsync("一号机位");
        await page.Locator("[data-test=station-add]").ClickAsync();
        await Expect(page.Locator("[data-test=station-row]")).ToHaveCountAsync(1);
        await page.ScreenshotAsync("school-places");

        // Students approved and a session on a capture day (the APIs the roster and schedule tabs call).
        using var admin = system.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        var campaign = (await admin.GetFromJsonAsync<JsonElement>("/api/registration/campaigns"))[0].GetProperty("id").GetGuid();
        var rows = RosterData.Rows(3, "law", "法学院");
        (await admin.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = rows.Select(RosterData.Json) })).EnsureSuccessStatusCode();
        foreach (var r in rows)
        {
            var id = (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/students/{r.StudentNumber}")).GetProperty("id").GetGuid();
            (await admin.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();
        }

        var campus = (await admin.GetFromJsonAsync<JsonElement>("/api/scheduling/campuses"))[0].GetProperty("id").GetGuid();
        var venue = (await admin.GetFromJsonAsync<JsonElement>("/api/scheduling/venues"))[0].GetProperty("id").GetGuid();
        using var day = await CampaignArrival.SendAsync(() => admin.PostAsJsonAsync("/api/scheduling/capture-days", new { campaignId = campaign, campusId = campus, date = "2030-12-18" }));
        day.EnsureSuccessStatusCode();
        var dayId = (await day.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync("/api/scheduling/sessions", new { captureDayId = dayId, venueId = venue, start = "08:00", end = "12:00" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () =>
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/demand");
            return demand.EnumerateArray().Sum(d => d.GetProperty("headcount").GetInt32()) == 3;
        }, TimeSpan.FromSeconds(60), "the approvals to reach Scheduling");

        // The plan: proposal as a timeline with the session's fill, then published with the instructions.
        await page.GotoAsync("/school/plan");
        await page.WaitForInteractiveAsync();
        await page.Locator("[data-test=propose]").ClickAsync();
        await Expect(page.Locator("[data-test=timeline-session]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=session-fill]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*3 /"));
        await Expect(page.Locator("[data-test=allocation]")).ToContainTextAsync("法学院");
        await page.Locator("[data-test=instructions]").FillAsync("携带身份证，着深色上衣");
        await page.Locator("[data-test=publish-plan]").ClickAsync();
        await Expect(page.Locator("[data-test=plan-published-now]")).ToBeVisibleAsync();
        await page.ScreenshotAsync("school-plan");

        var plan = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/plan");
        Assert.True(plan.GetProperty("published").GetBoolean(), plan.ToString());

        // Campus card (003): finance's result file comes back through the payments tab; a bad line refuses the whole file.
        var batch = await Eventually.GetAsync(
            async () => await admin.GetStringAsync($"/api/payment/campaigns/{campaign}/card-batch?format=csv"),
            text => text.Trim().Split('\n').Length == 4, TimeSpan.FromSeconds(60), "three pending orders in the card batch");
        var lines = batch.Trim().TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        string Result(string line, string outcome, string reason, string? amount = null)
        {
            var cells = line.Split(',');
            if (amount is not null)
            {
                cells[4] = amount;
            }

            return string.Join(',', cells) + "," + outcome + "," + reason;
        }

        var file = Path.Combine(Path.GetTempPath(), $"card-result-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(file, string.Join("\r\n", [lines[0] + ",结果,原因", Result(lines[1], "成功", ""), Result(lines[2], "失败", "余额不足"), Result(lines[3], "成功", "", amount: "3.00")]));
            await page.GotoAsync("/school/payments");
            await page.WaitForInteractiveAsync();
            await page.Locator("[data-test=card-result-file]").ChooseFileAsync(file);
            await Expect(page.Locator("[data-test=card-result] [data-test=error-file]")).ToContainTextAsync("line 4");
            Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/api/payment/orders?campaignId={campaign}&status=paid")).GetProperty("total").GetInt32());

            // The corrected file under the same name, chosen again (browsers send no change for the same file on the same input).
            await File.WriteAllTextAsync(file, string.Join("\r\n", [lines[0] + ",结果,原因", Result(lines[1], "成功", ""), Result(lines[2], "失败", "余额不足"), Result(lines[3], "成功", "")]));
            await page.Locator("[data-test=card-result-file]").ChooseFileAsync(file);
            await page.ScreenshotAsync("school-card-result");
            await Expect(page.Locator("[data-test=card-result-done]")).ToContainTextAsync("扣款成功 2");
            Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>($"/api/payment/orders?campaignId={campaign}&status=paid")).GetProperty("total").GetInt32());

            // Both card payments go back: finance's refund result credits one card and cannot credit the other, whose reason the page lists.
            var paid = (await admin.GetFromJsonAsync<JsonElement>($"/api/payment/orders?campaignId={campaign}&status=paid")).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
            foreach (var id in paid)
            {
                (await admin.PostAsJsonAsync($"/api/payment/orders/{id}/refunds", new { reason = "absent" })).EnsureSuccessStatusCode();
            }

            var refundLines = (await admin.GetStringAsync($"/api/payment/campaigns/{campaign}/card-refund-batch?format=csv")).Trim().TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            Assert.Equal(3, refundLines.Count);
            await File.WriteAllTextAsync(file, string.Join("\r\n", [refundLines[0] + ",结果,原因", refundLines[1] + ",成功,", refundLines[2] + ",失败,卡已注销"]));
            await page.Locator("[data-test=card-refund-result-file]").ChooseFileAsync(file);
            await Expect(page.Locator("[data-test=card-refund-result-done]")).ToContainTextAsync("退款成功 1");
            await Expect(page.Locator("[data-test=failed-refund-row]")).ToContainTextAsync("卡已注销");
            Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>($"/api/payment/orders?campaignId={campaign}&status=refunded")).GetProperty("total").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }
    [Fact]
    public async Task A_page_left_open_longer_than_its_access_token_keeps_working_and_a_reload_keeps_the_sign_in()
    {
        // The system's development tokens live SystemFixture.AccessTokenLifetime (10 s) and the services accept one up to
        // 30 s after it ended (clock skew): waiting past both, the page works only with tokens it renewed itself.
        var school = RosterData.SchoolCode();
        var page = await browser.OpenAsync(system.System.GatewayUri);
        await page.SignInAsync(CaptureRoles.SchoolAdmin, "graduate-school", school);
        await page.WaitForInteractiveAsync();
        await Task.Delay(SystemFixture.AccessTokenLifetime + TimeSpan.FromSeconds(30) + TimeSpan.FromSeconds(5));

        // The open page (its circuit) calls the gateway after its first token has ended.
        await FillCampaignAsync(page, "2027届");
        await page.Locator("[data-test=campaign-save]").ClickAsync();
        await Expect(page.Locator("[data-test=campaign-row]")).ToHaveCountAsync(1);

        // A reload after that: still signed in (the cookie took the renewed token), and the campaign is listed.
        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/school"));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("[data-test=campaign-row]")).ToHaveCountAsync(1);
    }

    /// <summary>Fills the new-campaign form: open since yesterday, closing in 30 days, data deadline in 20, a 30-yuan fee.</summary>
    private static async Task FillCampaignAsync(IPage page, string cohort)
    {
        await page.Locator("[data-test=campaign-schoolName]").FillAsync("兰州大学");
        await page.Locator("[data-test=campaign-cohort]").FillAsync(cohort);
        var today = DateTime.UtcNow.AddHours(8).Date;
        await page.Locator("[data-test=campaign-opens]").FillAsync(today.AddDays(-1).ToString("yyyy-MM-dd") + "T08:00");
        await page.Locator("[data-test=campaign-closes]").FillAsync(today.AddDays(30).ToString("yyyy-MM-dd") + "T18:00");
        await page.Locator("[data-test=campaign-deadline]").FillAsync(today.AddDays(20).ToString("yyyy-MM-dd") + "T18:00");
        await page.Locator("[data-test=campaign-fee]").FillAsync("30");
    }
}
