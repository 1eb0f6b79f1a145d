using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Capture.Contracts.Registration;
using Capture.Testing;
using Capture.Verification.Apis;
using Microsoft.EntityFrameworkCore;
using NPOI.SS.UserModel;
using NPOI.XSSF.UserModel;

namespace Capture.Verification.Tests;

public sealed class ExportTests(VerificationApp app) : IClassFixture<VerificationApp>
{
    private async Task ConfirmAsync(TestStudent s)
    {
        using var client = app.Student(s);
        var response = await client.PostAsJsonAsync($"/api/verification/me/tasks/{s.RegistrationId}/confirm", new { });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<ExportsApi.ExportView> ExportAsync(HttpClient admin, Guid campaign, object? body = null)
    {
        var started = await VerificationApp.ReadAsync<ExportsApi.ExportView>(await admin.PostAsJsonAsync($"/api/verification/campaigns/{campaign}/exports", body ?? new { }));
        return await Eventually.GetAsync(
            async () => await VerificationApp.ReadAsync<ExportsApi.ExportView>(await admin.GetAsync($"/api/verification/exports/{started.BatchId}")),
            b => b.State is "ready" or "failed", what: "the batch built");
    }

    private static async Task<ZipArchive> DownloadAsync(HttpClient admin, Guid batchId)
    {
        var link = await VerificationApp.ReadAsync<PresignedUrl>(await admin.GetAsync($"/api/verification/exports/{batchId}/download"));
        using var plain = new HttpClient();
        var bytes = await plain.GetByteArrayAsync(link.Url);
        return new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
    }

    /// <summary>manifest.xlsx's rows (every cell text), each written back as a CSV line for comparison with manifest.csv.</summary>
    private static async Task<List<string>> SheetLinesAsync(ZipArchive zip)
    {
        await using var entry = await zip.GetEntry("manifest.xlsx")!.OpenAsync();
        var copy = new MemoryStream();
        await entry.CopyToAsync(copy);
        copy.Position = 0;
        var sheet = new XSSFWorkbook(copy).GetSheet("manifest");
        var lines = new List<string>();
        for (var r = 0; r <= sheet.LastRowNum; r++)
        {
            var row = sheet.GetRow(r);
            Assert.All(row.Cells, c => Assert.Equal(CellType.String, c.CellType));
            lines.Add(Infrastructure.Csv.Line(row.Cells.Select(c => c.StringCellValue).ToArray()).TrimEnd('\r', '\n'));
        }

        return lines;
    }

    [Fact]
    public async Task An_export_holds_exactly_the_confirmed_students_checked_again_and_lists_everyone_left_out()
    {
        var school = VerificationApp.NewSchool();
        var campaign = Guid.NewGuid();
        var confirmed = new List<(TestStudent Student, AcceptedPhoto Photo)>();
        for (var i = 0; i < 3; i++)
        {
            var s = await app.ApproveAsync(school, i == 2 ? "math" : "law", campaign);
            confirmed.Add((s, await app.AcceptPhotoAsync(s)));
            await ConfirmAsync(s);
        }

        var open = await app.ApproveAsync(school, "law", campaign);
        await app.AcceptPhotoAsync(open);
        var missing = await app.ApproveAsync(school, "law", campaign);
        await app.AcceptPhotoAsync(missing, store: false);
        await ConfirmAsync(missing);
        var offSpec = await app.ApproveAsync(school, "law", campaign);
        await app.AcceptPhotoAsync(offSpec, TestPhotos.Make(300, 400, 1000, 1_000_000));
        await ConfirmAsync(offSpec);
        var withdrawn = await app.ApproveAsync(school, "law", campaign);
        await app.AcceptPhotoAsync(withdrawn);
        await ConfirmAsync(withdrawn);
        await app.Bus.Publish(new RegistrationWithdrawn(withdrawn.RegistrationId, campaign, "law", "left", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await app.TaskAsync(withdrawn.RegistrationId)).Withdrawn, what: "the withdrawal");

        using var admin = app.Admin(school);
        var batch = await ExportAsync(admin, campaign);
        Assert.Equal("ready", batch.State);
        Assert.Equal(3, batch.PhotoCount);
        Assert.Equal(3, batch.ProblemCount);
        var problems = batch.Problems!.ToDictionary(p => p.RegistrationId, p => p.Kind);
        Assert.Equal("missing-photo", problems[missing.RegistrationId]);
        Assert.Equal("off-spec", problems[offSpec.RegistrationId]);
        Assert.Equal("withdrawn", problems[withdrawn.RegistrationId]);
        Assert.False(problems.ContainsKey(open.RegistrationId));

        using var zip = await DownloadAsync(admin, batch.BatchId);
        var expected = confirmed.Select(c => c.Student.IdNumber + ".jpg").Order(StringComparer.Ordinal).Append("manifest.csv").Append("manifest.xlsx").ToList();
        Assert.Equal(expected, zip.Entries.Select(e => e.FullName));
        foreach (var (student, photo) in confirmed)
        {
            await using var entry = await zip.GetEntry(student.IdNumber + ".jpg")!.OpenAsync();
            var copy = new MemoryStream();
            await entry.CopyToAsync(copy);
            Assert.Equal(photo.Sha256, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
        }

        await using var manifestStream = await zip.GetEntry("manifest.csv")!.OpenAsync();
        var manifestBytes = new MemoryStream();
        await manifestStream.CopyToAsync(manifestBytes);
        var manifest = manifestBytes.ToArray();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), manifest[..3]);
        var lines = Encoding.UTF8.GetString(manifest[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file_name,name,id_type,id_number,student_number,degree_level,college_code,sha256,verification", lines[0]);
        Assert.Equal(4, lines.Length);
        var first = confirmed.Single(c => lines[1].StartsWith(c.Student.IdNumber, StringComparison.Ordinal));
        Assert.Equal($"{first.Student.IdNumber}.jpg,{first.Student.Name},居民身份证,{first.Student.IdNumber},{first.Student.StudentNumber},硕士,{first.Student.College},{first.Photo.Sha256},confirmed", lines[1]);
        Assert.Equal(lines, await SheetLinesAsync(zip));

        Assert.Equal(1, await app.OutboxCountAsync("ExportBatchReady", batch.BatchId));
        var summary = Assert.Single(await VerificationApp.ReadAsync<List<ExportsApi.DeliveryLine>>(await admin.GetAsync("/api/verification/delivery-summary")));
        Assert.Equal((campaign, 7, 5, 1, 1), (summary.CampaignId, summary.PhotosAccepted, summary.Confirmed, summary.Open, summary.Withdrawn));
        Assert.Equal((batch.BatchId, 3), (summary.LastBatchId, summary.LastBatchPhotos));
        using var ops = app.Service.CreateClient(TestTokens.For(Capture.ServiceDefaults.Security.CaptureRoles.Ops, school: null));
        Assert.Single(await VerificationApp.ReadAsync<List<ExportsApi.DeliveryLine>>(await ops.GetAsync($"/api/verification/delivery-summary?schoolCode={school}")));
        var audit = await app.InDbAsync(db => db.PhotoAccesses.SingleAsync(a => a.BatchId == batch.BatchId));
        Assert.Equal("export", audit.What);
    }

    [Fact]
    public async Task The_same_set_gives_the_same_zip_and_a_college_or_student_number_export_is_its_own()
    {
        var school = VerificationApp.NewSchool();
        var campaign = Guid.NewGuid();
        var students = new List<TestStudent>();
        foreach (var college in new[] { "law", "law", "math" })
        {
            var s = await app.ApproveAsync(school, college, campaign);
            await app.AcceptPhotoAsync(s);
            await ConfirmAsync(s);
            students.Add(s);
        }

        using var admin = app.Admin(school);
        var one = await ExportAsync(admin, campaign);
        var two = await ExportAsync(admin, campaign);
        Assert.NotEqual(one.BatchId, two.BatchId);
        Assert.Equal(one.Sha256, two.Sha256);
        Assert.Equal(one.SizeBytes, two.SizeBytes);

        var byNumber = await ExportAsync(admin, campaign, new { collegeCode = "law", naming = "student-number" });
        Assert.Equal(2, byNumber.PhotoCount);
        Assert.Equal("law", byNumber.CollegeCode);
        using var zip = await DownloadAsync(admin, byNumber.BatchId);
        Assert.Equal(students.Where(s => s.College == "law").Select(s => s.StudentNumber + ".jpg").Order(StringComparer.Ordinal), zip.Entries.Where(e => !e.Name.StartsWith("manifest.", StringComparison.Ordinal)).Select(e => e.FullName));
    }

    [Fact]
    public async Task Export_started_twice_at_once_is_one_batch_and_bad_requests_are_refused()
    {
        var school = VerificationApp.NewSchool();
        var campaign = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            var s = await app.ApproveAsync(school, "law", campaign);
            await app.AcceptPhotoAsync(s);
            await ConfirmAsync(s);
        }

        using var admin = app.Admin(school);
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => admin.PostAsJsonAsync($"/api/verification/campaigns/{campaign}/exports", new { })));
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async r => (await VerificationApp.ReadAsync<ExportsApi.ExportView>(r)).BatchId));
        Assert.Single(ids.Distinct());

        async Task Bad(object body, string field)
        {
            var response = await admin.PostAsJsonAsync($"/api/verification/campaigns/{campaign}/exports", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync());
        }

        await Bad(new { naming = "name" }, "naming");
        await Bad(new { collegeCode = new string('x', 65) }, "collegeCode");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/verification/campaigns/{Guid.NewGuid()}/exports", new { })).StatusCode);
        using var other = app.Admin(VerificationApp.NewSchool());
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/verification/campaigns/{campaign}/exports", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/verification/exports/{ids[0]}/download")).StatusCode);
        using var staff = app.CollegeStaff(school, "law");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync($"/api/verification/campaigns/{campaign}/exports", new { })).StatusCode);
    }
}
