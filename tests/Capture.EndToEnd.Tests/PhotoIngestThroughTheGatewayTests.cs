using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;

namespace Capture.EndToEnd.Tests;

/// <summary>Photo uploads through the gateway to the real CaptureIngest process.</summary>
[Collection(nameof(WholeSystem))]
public sealed class PhotoIngestThroughTheGatewayTests(SystemFixture fixture)
{
    [Fact]
    public async Task A_50_MB_upload_streams_through_the_gateway_without_growing_the_services_memory_by_10_MB()
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        var campus = await PostAsync(admin, "/api/scheduling/campuses", new { code = "main", name = "主校区" });
        var venue = await PostAsync(admin, "/api/scheduling/venues", new { campusId = campus, code = "hall", name = "礼堂", building = "礼堂", room = "1F" });
        var station = await PostAsync(admin, $"/api/scheduling/venues/{venue}/stations", new { code = "M1", throughputPerHour = 100 });
        using var op = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: venue.ToString()));
        op.Timeout = TimeSpan.FromMinutes(2);
        await Eventually.TrueAsync(
            async () => (await op.GetAsync($"/api/capture/stations/{station}/photos")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "StationOpened to reach CaptureIngest");

        var pid = fixture.System.Resources.Single(r => r.Name == "capture-ingest").Pid!.Value;
        await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5"); // resets the peak (VmHWM) to the current RSS
        var before = Kilobytes(pid, "VmRSS");

        const long size = 50L * 1024 * 1024;
        var content = new StreamContent(new SyntheticJpegStream(size), 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        content.Headers.ContentLength = size;
        using var response = await op.PostAsync($"/api/capture/stations/{station}/photos?shootNumber=M1-0001", content);
        var peak = Kilobytes(pid, "VmHWM");

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal(size, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sizeBytes").GetInt64());
        var grewMb = (peak - before) / 1024.0;
        Assert.True(grewMb < 10, $"capture-ingest's RSS peaked {grewMb:0.0} MB above where it was while a 50 MB photo streamed through");

        // Over the limit: the gateway and the service both answer 413 with the reason, and the service stays up.
        var tooBig = new StreamContent(new SyntheticJpegStream(61L * 1024 * 1024), 64 * 1024);
        tooBig.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        tooBig.Headers.ContentLength = 61L * 1024 * 1024;
        // A client that asks first (Expect: 100-continue, as the station agent does) gets the answer instead of a broken pipe.
        using var ask = new HttpRequestMessage(HttpMethod.Post, $"/api/capture/stations/{station}/photos?shootNumber=M1-0002") { Content = tooBig };
        ask.Headers.ExpectContinue = true;
        using var refused = await op.SendAsync(ask);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("60 MB", await refused.Content.ReadAsStringAsync());
    }

    private static long Kilobytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<Guid> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
