using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// Roster bodies through the gateway and Registration on real Kestrel: a roster of more than Kestrel's default 30 MB
/// (and under the documented 32 MB) reaches Registration and is judged by its rows, one over 32 MB is 413 naming the
/// limit before it is sent, and a 30 MB body of ten million tiny rows is refused at row 20,001 in bounded memory
/// (Kestrel drains and discards the rest of the body, the service never holds it).
/// </summary>
[Collection(nameof(WholeSystem))]
public sealed class BodyLimitsThroughTheGatewayTests(SystemFixture fixture)
{
    private const string RosterHeader = "学号,姓名,身份证号,培养层次,学习形式,学院代码,学院\r\n";
    private const string RosterRow = "S0001,王伟,11010519491231002X,硕士,全日制,law,法学院\r\n";

    private async Task<(HttpClient Admin, Guid Campaign)> CampaignAsync()
    {
        var school = RosterData.SchoolCode();
        var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        admin.Timeout = TimeSpan.FromMinutes(3);
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign());
        var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).EnsureSuccessStatusCode();
        return (admin, campaign);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, RepeatedBodyStream body, string contentType)
    {
        var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = body.BodyLength;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }

    private static RepeatedBodyStream CsvFile(long rows) =>
        new("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n" + RosterHeader, RosterRow, rows, "\r\n--b--\r\n");

    [Fact]
    public async Task A_31_MB_roster_file_passes_the_gateway_and_is_judged_by_its_rows_and_a_33_MB_one_is_413_naming_32_MB()
    {
        var (admin, campaign) = await CampaignAsync();
        using (admin)
        {
            var large = CsvFile(31L * 1024 * 1024 / Encoding.UTF8.GetByteCount(RosterRow));
            Assert.True(large.BodyLength > 30L * 1000 * 1000 && large.BodyLength < 32L * 1024 * 1024);
            using (var response = await SendAsync(admin, $"/api/registration/campaigns/{campaign}/roster/file", large, "multipart/form-data; boundary=b"))
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
                Assert.Contains("more than 20000 students", text, StringComparison.Ordinal);
            }

            var over = CsvFile(33L * 1024 * 1024 / Encoding.UTF8.GetByteCount(RosterRow));
            using (var response = await SendAsync(admin, $"/api/registration/campaigns/{campaign}/roster/file", over, "multipart/form-data; boundary=b"))
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
                Assert.Contains("at most 32.06 MB", text, StringComparison.Ordinal);
                Assert.True(over.BytesRead < 1024 * 1024, $"{over.BytesRead} bytes were sent");
            }
        }
    }

    [Fact]
    public async Task Ten_million_tiny_rows_through_the_gateway_are_refused_at_row_20001_in_bounded_memory()
    {
        var (admin, campaign) = await CampaignAsync();
        using (admin)
        {
            // Warm: one small import, so the measured request runs on warm code paths and pools.
            (await admin.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = RosterData.Rows(10).Select(RosterData.Json) })).EnsureSuccessStatusCode();
            var pid = fixture.System.Resources.Single(r => r.Name == "registration").Pid!.Value;
            await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5"); // resets the peak (VmHWM) to the current RSS
            var before = Kilobytes(pid, "VmRSS");

            // About 30 MB, under the 32 MB limit: as objects (the body bound whole) it would take well over a gigabyte.
            var body = new RepeatedBodyStream("{\"students\":[{}", ",{}", 9_999_999, "]}");
            Assert.True(body.BodyLength is > 30L * 1000 * 1000 and < 32L * 1024 * 1024);
            HttpResponseMessage? response = null;
            try
            {
                response = await SendAsync(admin, $"/api/registration/campaigns/{campaign}/roster", body, "application/json");
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
                Assert.Contains("reading stopped at student 20001", text, StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                // The answer came while the client was still sending and the connection closed under it: still a refusal.
            }
            finally
            {
                response?.Dispose();
            }

            var grewMb = (Kilobytes(pid, "VmHWM") - before) / 1024.0;
            Assert.True(grewMb < 100, $"registration's RSS peaked {grewMb:0.0} MB above where it was while 10 million rows were sent");
        }
    }

    private static long Kilobytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
