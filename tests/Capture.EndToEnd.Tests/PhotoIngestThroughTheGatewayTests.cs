using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.CaptureIngest.Tests;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;

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

    [Fact]
    public async Task A_photo_taken_after_check_in_is_stored_bound_judged_on_the_station_feed_accepted_and_known_to_Scheduling_and_Registration()
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign());
        var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).EnsureSuccessStatusCode();
        var rows = RosterData.Rows(1, "phys", "物理学院");
        (await admin.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = rows.Select(RosterData.Json) })).EnsureSuccessStatusCode();
        var registration = (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/students/{rows[0].StudentNumber}")).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/registrations/{registration}/approve", null)).EnsureSuccessStatusCode();

        var campus = await PostAsync(admin, "/api/scheduling/campuses", new { code = "main", name = "城关校区" });
        var venue = await PostAsync(admin, "/api/scheduling/venues", new { campusId = campus, code = "lib", name = "图书馆", building = "图书馆", room = "B1" });
        var station = await PostAsync(admin, $"/api/scheduling/venues/{venue}/stations", new { code = "P1", throughputPerHour = 120 });
        var day = await PostAsync(admin, "/api/scheduling/capture-days", new { campaignId = campaign, campusId = campus, date = "2030-12-19" });
        var session = await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day, venueId = venue, start = "08:00", end = "12:00" });
        var later = await PostAsync(admin, "/api/scheduling/sessions", new { captureDayId = day, venueId = venue, start = "13:00", end = "17:00" });
        await Eventually.TrueAsync(async () =>
        {
            var demand = await admin.GetFromJsonAsync<JsonElement>($"/api/scheduling/campaigns/{campaign}/demand");
            return demand.EnumerateArray().Sum(d => d.GetProperty("headcount").GetInt32()) == 1;
        }, TimeSpan.FromSeconds(60), "RegistrationApproved to reach Scheduling");
        (await admin.PostAsync($"/api/scheduling/campaigns/{campaign}/plan/proposal", null)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/scheduling/campaigns/{campaign}/plan/publish", new { instructions = "穿深色上衣" })).EnsureSuccessStatusCode();
        await PaidAsync(registration, campaign);

        using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, rows[0].StudentNumber, school));
        var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{registration}/capture-code")).GetProperty("code").GetString()!;
        using var op = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: venue.ToString()));
        string shootNumber = "";
        await Eventually.TrueAsync(async () =>
        {
            using var scan = await op.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = code, sessionId = session });
            if (scan.StatusCode != HttpStatusCode.Created)
            {
                return false;
            }

            shootNumber = (await scan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shootNumber").GetString()!;
            return true;
        }, TimeSpan.FromSeconds(30), "the check-in");

        // The photographer watches the station's live feed while shooting.
        using var feedClient = fixture.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: venue.ToString()));
        feedClient.Timeout = Timeout.InfiniteTimeSpan;
        using var stopFeed = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var verdicts = new System.Collections.Concurrent.ConcurrentDictionary<Guid, (JsonElement Photo, DateTimeOffset At)>();
        await Eventually.TrueAsync(
            async () => (await op.GetAsync($"/api/capture/stations/{station}/photos")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "StationOpened to reach CaptureIngest");
        var feed = Task.Run(() => ReadFeedAsync(feedClient, station, verdicts, stopFeed.Token));
        await Task.Delay(300);

        var blurred = await UploadAsync(op, station, shootNumber, TestImages.Unique(TestPhotos.Bytes(TestPhotos.Blurred)), 1);
        var sent = DateTimeOffset.UtcNow;
        var good = await UploadAsync(op, station, shootNumber, TestImages.Unique(TestPhotos.Bytes(TestPhotos.Good)), 2);
        Assert.Equal("bound", blurred.GetProperty("status").GetString());
        Assert.Equal(registration, good.GetProperty("registrationId").GetGuid());

        var goodId = good.GetProperty("id").GetGuid();
        var blurredId = blurred.GetProperty("id").GetGuid();
        await Eventually.TrueAsync(
            () => verdicts.TryGetValue(goodId, out var v) && v.Photo.GetProperty("verdict").GetString() != "pending"
                && verdicts.TryGetValue(blurredId, out var b) && b.Photo.GetProperty("verdict").GetString() != "pending",
            TimeSpan.FromSeconds(60), "both verdicts on the station feed");
        var goodVerdict = verdicts[goodId].Photo;
        Assert.True(goodVerdict.GetProperty("verdict").GetString() == "passed", goodVerdict.ToString());
        var blurredVerdict = verdicts[blurredId].Photo;
        Assert.Equal("failed", blurredVerdict.GetProperty("verdict").GetString());
        Assert.Contains("sharpness", blurredVerdict.GetProperty("failedMeasures").EnumerateArray().Select(m => m.GetString()));
        var sharpness = blurredVerdict.GetProperty("quality").GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "sharpness");
        Assert.False(string.IsNullOrWhiteSpace(sharpness.GetProperty("reasonZh").GetString()));

        // The preview is the standardised 480×640 JPEG.
        var detail = await op.GetFromJsonAsync<JsonElement>($"/api/capture/photos/{goodId}");
        using var raw = new HttpClient();
        var preview = await raw.GetByteArrayAsync(detail.GetProperty("previewUrl").GetString());
        using (var image = NetVips.Image.NewFromBuffer(preview))
        {
            Assert.Equal((480, 640), (image.Width, image.Height));
        }

        // A failed shot cannot be picked without a reason; the good one is.
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsync($"/api/capture/photos/{blurredId}/accept", null)).StatusCode);
        (await op.PostAsync($"/api/capture/photos/{goodId}/accept", null)).EnsureSuccessStatusCode();

        // Scheduling marks the student photographed: a second scan in the afternoon is refused as captured already.
        await Eventually.TrueAsync(async () =>
        {
            var queue = await op.GetFromJsonAsync<JsonElement>($"/api/scheduling/stations/{station}/queue?sessionId={session}");
            return queue.GetProperty("photographed").GetInt32() == 1;
        }, TimeSpan.FromSeconds(30), "Scheduling to mark the check-in photographed");
        using (var again = await op.PostAsJsonAsync($"/api/scheduling/stations/{station}/check-ins", new { captureCode = code, sessionId = later }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("already-captured", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Registration remembers the capture: next year's campaign refuses the same student for the same degree.
        using var next = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign("2026届"));
        var nextCampaign = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{nextCampaign}/open", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () =>
        {
            using var import = await admin.PostAsJsonAsync($"/api/registration/campaigns/{nextCampaign}/roster", new { students = rows.Select(RosterData.Json) });
            return import.StatusCode == HttpStatusCode.BadRequest && (await import.Content.ReadAsStringAsync()).Contains("already has a capture", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "Registration to record the capture");

        await stopFeed.CancelAsync();
        await feed;
    }

    private async Task PaidAsync(Guid registration, Guid campaign)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(fixture.System.Endpoints.MessagingIn(fixture.VirtualHost))));
        await bus.StartAsync();
        try
        {
            await bus.Publish(new Capture.Contracts.Payment.PaymentSucceeded(Guid.NewGuid(), registration, campaign, 2000, "CNY", "wechat", DateTimeOffset.UtcNow));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task<JsonElement> UploadAsync(HttpClient op, Guid station, string shootNumber, byte[] photo, int shot)
    {
        var content = new ByteArrayContent(photo);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var response = await op.PostAsync($"/api/capture/stations/{station}/photos?shootNumber={shootNumber}&shot={shot}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task ReadFeedAsync(HttpClient client, Guid station, System.Collections.Concurrent.ConcurrentDictionary<Guid, (JsonElement, DateTimeOffset)> seen, CancellationToken ct)
    {
        try
        {
            using var response = await client.GetAsync($"/api/capture/stations/{station}/feed", HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    var photo = JsonSerializer.Deserialize<JsonElement>(line[6..]);
                    seen[photo.GetProperty("id").GetGuid()] = (photo, DateTimeOffset.UtcNow);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
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
