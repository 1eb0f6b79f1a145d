using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.EndToEnd.Tests;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Capture.Web.Tests;

/// <summary>A college secretary uploads the roster sheet in Chromium: a bad row is shown on the page where it is, the
/// valid rows can be imported, the page speaks English on request, and a phone-width screen does not scroll sideways.</summary>
[Collection(nameof(Pages))]
public sealed class CollegeInTheBrowserTests(SystemFixture system, BrowserFixture browser)
{
    [Fact]
    public async Task A_college_uploads_a_sheet_with_a_bad_row_sees_the_error_on_the_page_and_imports_the_good_rows()
    {
        var school = RosterData.SchoolCode();
        using var admin = system.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        using (var created = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign()))
        {
            var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).EnsureSuccessStatusCode();
        }

        var rows = RosterData.Rows(2, "law", "法学院");
        var bad = rows[1] with { IdNumber = rows[1].IdNumber[..17] + (rows[1].IdNumber[17] == '1' ? '2' : '1') };
        var csv = RosterData.Csv([RosterData.Header, RosterData.Cells(rows[0]), RosterData.Cells(bad)]);
        var file = Path.Combine(Path.GetTempPath(), $"roster-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, csv, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        try
        {
            var page = await browser.OpenAsync(system.System.GatewayUri);
            await page.SignInAsync(CaptureRoles.CollegeStaff, "secretary-law", school, college: "law");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/college$"));
            await page.WaitForInteractiveAsync();

            await page.Locator("[data-test=roster-file]").ChooseFileAsync(file);
            var errors = page.Locator("[data-test=row-error]");
            await Expect(errors).ToHaveCountAsync(1);
            await Expect(errors.First).ToContainTextAsync(bad.StudentNumber);
            await Expect(errors.First.Locator("td").First).ToHaveTextAsync("3"); // the sheet's line: header is 1
            await page.ScreenshotAsync("college-roster-row-error");

            // Nothing was imported; then the one good row is.
            using (var none = await admin.GetAsync($"/api/registration/campaigns/{await CampaignOf(admin)}/students/{rows[0].StudentNumber}"))
            {
                Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
            }

            await page.Locator("[data-test=import-valid]").ClickAsync();
            await Expect(page.Locator("[data-test=roster-imported]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-test=registration-row]")).ToHaveCountAsync(1);
            await Expect(page.Locator("[data-test=registration-row]").First).ToContainTextAsync(rows[0].Name);

            // English on request, remembered by a cookie.
            await page.Locator("[data-test=lang-en]").ClickAsync();
            await Expect(page.Locator("h1").First).ToHaveTextAsync("College desk");
            await page.WaitForInteractiveAsync();

            await page.SetViewportSizeAsync(375, 812);
            Assert.True(await page.FitsWidthAsync(), "the college page scrolls sideways at 375 px (tables scroll inside their box)");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Guid> CampaignOf(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/registration/campaigns"))[0].GetProperty("id").GetGuid();
}
