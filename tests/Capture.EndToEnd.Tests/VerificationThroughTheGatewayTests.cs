using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Capture.Contracts.CaptureIngest;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Storage;
using Capture.Testing;
using MassTransit;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// Registration and Verification together through the gateway: a student approved in Registration gets a verification
/// task when their photo is accepted (the test stores the standardised photo and publishes PhotoAccepted, as
/// CaptureIngest does once its standardisation worker is wired), disputes the name, which becomes a correction request
/// in Registration; the student gives the correct name, the school approves, the task reopens, the student verifies the new data, and the school downloads a CHSI batch named by the ID number Registration holds.
/// </summary>
[Collection(nameof(WholeSystem))]
public sealed class VerificationThroughTheGatewayTests(SystemFixture fixture)
{
    [Fact]
    public async Task A_body_over_the_limit_gets_the_services_413_through_the_gateway_every_time_never_a_502()
    {
        // The service answers before reading the body; if it dropped the connection then, the gateway (still sending)
        // would answer 502 for most of these (seen: 16 of 20 at 3 MB).
        using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, "2020123456", RosterData.SchoolCode()));
        foreach (var size in new[] { 20_000, 300_000, 3_000_000 })
        {
            for (var i = 0; i < 8; i++)
            {
                using var body = new StringContent(JsonSerializer.Serialize(new { note = new string('A', size) }), Encoding.UTF8, "application/json");
                using var response = await student.PostAsync($"/api/verification/me/tasks/{Guid.NewGuid()}/confirm", body);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{size} bytes, attempt {i}: {(int)response.StatusCode} {text}");
                Assert.Contains("16 KB", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_student_disputes_the_name_it_is_corrected_in_Registration_they_verify_and_the_school_exports_them()
    {
        var school = RosterData.SchoolCode();
        using var admin = fixture.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: school));
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign());
        var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).EnsureSuccessStatusCode();
        var row = RosterData.Rows(1, "law", "法学院")[0];
        (await admin.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = new[] { RosterData.Json(row) } })).EnsureSuccessStatusCode();
        var id = (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/students/{row.StudentNumber}")).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();

        var photo = Photo(row.StudentNumber);
        var key = $"{school}/{id}/standardized.jpg";
        using (var http = new HttpClient())
        using (var content = new MemoryStream(photo))
        {
            var storage = new MinioObjectStorage(ObjectStorageExtensions.CreateClient(ObjectStorageSettings.Parse(fixture.System.Endpoints.Photos)), http);
            await storage.PutAsync("photos-standardized", key, content, photo.Length, "image/jpeg");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(photo));
        var bus = Bus.Factory.CreateUsingRabbitMq(r => r.Host(new Uri(fixture.System.Endpoints.MessagingIn(fixture.VirtualHost))));
        await bus.StartAsync();
        try
        {
            await bus.Publish(new PhotoAccepted(Guid.NewGuid(), id, campaign, school, Guid.NewGuid().ToString(), "B1-0001", key, sha, true, [], "auto", DateTimeOffset.UtcNow));
        }
        finally
        {
            await bus.StopAsync();
        }

        using var student = fixture.CreateClient(TestTokens.For(CaptureRoles.Student, row.StudentNumber, school));
        var task = await Eventually.GetAsync(
            async () => await student.GetFromJsonAsync<JsonElement>("/api/verification/me/tasks"),
            t => t.GetArrayLength() == 1 && t[0].GetProperty("data").ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(60), "the verification task with Registration's data");
        Assert.Equal(row.IdNumber, task[0].GetProperty("data").GetProperty("idNumber").GetString());
        Assert.Equal(row.Name, task[0].GetProperty("data").GetProperty("name").GetString());

        (await student.PostAsJsonAsync($"/api/verification/me/tasks/{id}/dispute", new { kind = "data", fields = new[] { "name" } })).EnsureSuccessStatusCode();

        // The dispute reaches Registration as a correction request the school sees; the student gives the correct name.
        var requested = await Eventually.GetAsync(
            async () => await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/corrections?status=requested"),
            c => c.GetArrayLength() == 1, TimeSpan.FromSeconds(60), "the correction request from the dispute");
        Assert.Equal(("name", id), (requested[0].GetProperty("field").GetString(), requested[0].GetProperty("registrationId").GetGuid()));
        using var correction = await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections",
            new { field = "name", newValue = "欧阳娜娜", reason = "错字", documentReference = "户口本复印件已交学院" });
        Assert.True(correction.IsSuccessStatusCode, await correction.Content.ReadAsStringAsync());
        var correctionId = (await correction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(requested[0].GetProperty("id").GetGuid(), correctionId);
        (await admin.PostAsJsonAsync($"/api/registration/corrections/{correctionId}/approve", new { })).EnsureSuccessStatusCode();

        var reopened = await Eventually.GetAsync(
            async () => await student.GetFromJsonAsync<JsonElement>($"/api/verification/me/tasks/{id}"),
            t => t.GetProperty("round").GetInt32() == 2, TimeSpan.FromSeconds(60), "the task reopened with the corrected name");
        Assert.Equal("欧阳娜娜", reopened.GetProperty("data").GetProperty("name").GetString());
        using var confirmed = await student.PostAsJsonAsync($"/api/verification/me/tasks/{id}/confirm", new { round = 2 });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        using var started = await admin.PostAsJsonAsync($"/api/verification/campaigns/{campaign}/exports", new { });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var batchId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batchId").GetGuid();
        await Eventually.TrueAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/verification/exports/{batchId}")).GetProperty("state").GetString() == "ready",
            TimeSpan.FromSeconds(60), "the batch ready");
        var link = await admin.GetFromJsonAsync<JsonElement>($"/api/verification/exports/{batchId}/download");
        using var plain = new HttpClient();
        using var zip = new ZipArchive(new MemoryStream(await plain.GetByteArrayAsync(link.GetProperty("url").GetString())), ZipArchiveMode.Read);
        Assert.Equal([row.IdNumber + ".jpg", "manifest.csv", "manifest.xlsx"], zip.Entries.Select(e => e.FullName));
        using var manifest = new StreamReader(await zip.GetEntry("manifest.csv")!.OpenAsync(), Encoding.UTF8);
        var text = await manifest.ReadToEndAsync();
        Assert.Contains($"{row.IdNumber}.jpg,欧阳娜娜,", text);
        Assert.Contains(sha, text);
    }

    /// <summary>A JPEG-shaped standardised photo of 30 KB: SOI, a comment making it unique, a 480×640 frame header, filler, EOI.</summary>
    private static byte[] Photo(string unique)
    {
        var jpeg = new byte[30 * 1024];
        var comment = Encoding.ASCII.GetBytes(unique.PadRight(16));
        byte[] head = [0xFF, 0xD8, 0xFF, 0xFE, 0, (byte)(comment.Length + 2), .. comment, 0xFF, 0xC0, 0, 17, 8, 0x02, 0x80, 0x01, 0xE0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        head.CopyTo(jpeg, 0);
        for (var i = head.Length; i < jpeg.Length - 2; i++)
        {
            jpeg[i] = (byte)(i % 251 == 0 ? 0x00 : 0x5A);
        }

        jpeg[^2] = 0xFF;
        jpeg[^1] = 0xD9;
        return jpeg;
    }
}
