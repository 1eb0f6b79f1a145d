using System.Net;
using System.Net.Http.Json;
using System.Text;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Capture.Verification.Apis;
using NPOI.XSSF.UserModel;

namespace Capture.Verification.Tests;

public sealed class StaffViewTests(VerificationApp app) : IClassFixture<VerificationApp>
{
    private async Task<(string School, Guid Campaign, TestStudent[] Law, TestStudent Math)> SchoolAsync()
    {
        var school = VerificationApp.NewSchool();
        var campaign = Guid.NewGuid();
        var law = new[] { await app.ApproveAsync(school, "law", campaign), await app.ApproveAsync(school, "law", campaign), await app.ApproveAsync(school, "law", campaign) };
        var math = await app.ApproveAsync(school, "math", campaign);
        foreach (var s in law.Append(math))
        {
            await app.AcceptPhotoAsync(s);
        }

        using (var c = app.Student(law[0]))
        {
            Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync($"/api/verification/me/tasks/{law[0].RegistrationId}/confirm", new { })).StatusCode);
        }

        using (var c = app.Student(law[1]))
        {
            Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync($"/api/verification/me/tasks/{law[1].RegistrationId}/dispute", new { kind = "data", fields = new[] { "name" }, comment = "名字错了" })).StatusCode);
        }

        return (school, campaign, law, math);
    }

    [Fact]
    public async Task Counts_by_state_per_college_follow_the_callers_scope()
    {
        var (school, campaign, _, _) = await SchoolAsync();
        var url = $"/api/verification/campaigns/{campaign}/counts";

        using var admin = app.Admin(school);
        var counts = await VerificationApp.ReadAsync<List<StaffTasksApi.CollegeCounts>>(await admin.GetAsync(url));
        var law = counts.Single(c => c.CollegeCode == "law");
        Assert.Equal((1, 1, 1, 3), (law.Open, law.Confirmed, law.DisputedData, law.Total));
        Assert.Equal(1, counts.Single(c => c.CollegeCode == "math").Open);

        using var mathStaff = app.CollegeStaff(school, "math");
        Assert.Equal(["math"], (await VerificationApp.ReadAsync<List<StaffTasksApi.CollegeCounts>>(await mathStaff.GetAsync(url))).Select(c => c.CollegeCode));

        using var otherSchool = app.Admin(VerificationApp.NewSchool());
        Assert.Empty(await VerificationApp.ReadAsync<List<StaffTasksApi.CollegeCounts>>(await otherSchool.GetAsync(url)));

        using var noCollege = app.Service.CreateClient(TestTokens.For(CaptureRoles.CollegeStaff, school: school, college: null));
        var forbidden = await noCollege.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("'college'", await forbidden.Content.ReadAsStringAsync());

        using var student = app.Service.CreateClient(TestTokens.For(CaptureRoles.Student, school: school));
        Assert.Equal(HttpStatusCode.Forbidden, (await student.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Unverified_lists_come_as_csv_with_bom_gbk_and_xlsx_with_masked_id_numbers()
    {
        var (school, campaign, law, math) = await SchoolAsync();
        using var admin = app.Admin(school);
        var url = $"/api/verification/campaigns/{campaign}/unverified";

        var csv = await admin.GetByteArrayAsync(url + "?format=csv");
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), csv[..3]);
        var text = Encoding.UTF8.GetString(csv[3..]);
        Assert.Contains(math.Name, text);
        Assert.Contains(law[2].Name, text);
        Assert.DoesNotContain(law[0].Name, text); // confirmed
        Assert.Contains(PersonalData.MaskIdNumber(math.IdNumber), text);
        Assert.DoesNotContain(math.IdNumber, text);

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = await admin.GetByteArrayAsync(url + "?format=csv&encoding=gbk&college=math");
        var gbkText = Encoding.GetEncoding("GBK").GetString(gbk);
        Assert.Contains(math.Name, gbkText);
        Assert.Contains("学号", gbkText);
        Assert.DoesNotContain(law[2].Name, gbkText);

        var xlsx = await admin.GetByteArrayAsync(url + "?format=xlsx");
        var workbook = new XSSFWorkbook(new MemoryStream(xlsx));
        var sheet = workbook.GetSheetAt(0);
        var names = Enumerable.Range(1, sheet.LastRowNum).Select(r => sheet.GetRow(r).GetCell(3).StringCellValue).ToList();
        Assert.Equal(3, names.Count);
        Assert.Contains(law[1].Name, names);

        var bad = await admin.GetAsync(url + "?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("format", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(url + "?encoding=latin1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(url + "?college=" + new string('x', 65))).StatusCode);
    }

    [Fact]
    public async Task The_print_list_has_a_sheet_per_college_in_student_number_order_within_the_callers_scope()
    {
        var (school, campaign, law, math) = await SchoolAsync();
        using var admin = app.Admin(school);
        var workbook = new XSSFWorkbook(new MemoryStream(await admin.GetByteArrayAsync($"/api/verification/campaigns/{campaign}/print-list.xlsx")));
        Assert.Equal(["law学院", "math学院"], Enumerable.Range(0, workbook.NumberOfSheets).Select(i => workbook.GetSheetName(i)));
        var sheet = workbook.GetSheet("law学院");
        var numbers = Enumerable.Range(1, sheet.LastRowNum).Select(r => sheet.GetRow(r).GetCell(2).StringCellValue).ToList();
        Assert.Equal(law.Select(s => s.StudentNumber).Order(StringComparer.Ordinal), numbers);
        Assert.Equal(law.Select(s => s.StudentNumber + ".jpg").Order(StringComparer.Ordinal), Enumerable.Range(1, sheet.LastRowNum).Select(r => sheet.GetRow(r).GetCell(5).StringCellValue));

        using var mathStaff = app.CollegeStaff(school, "math");
        var own = new XSSFWorkbook(new MemoryStream(await mathStaff.GetByteArrayAsync($"/api/verification/campaigns/{campaign}/print-list.xlsx")));
        Assert.Equal(1, own.NumberOfSheets);
        Assert.Equal(math.Name, own.GetSheetAt(0).GetRow(1).GetCell(3).StringCellValue);
    }

    [Fact]
    public async Task The_print_list_with_thumbnails_shows_each_standardised_photo_in_its_row_says_which_is_missing_and_is_audited()
    {
        var school = VerificationApp.NewSchool();
        var campaign = Guid.NewGuid();
        var students = new[] { await app.ApproveAsync(school, "law", campaign), await app.ApproveAsync(school, "law", campaign), await app.ApproveAsync(school, "law", campaign) };
        var photos = new Dictionary<string, byte[]>();
        foreach (var s in students[..2])
        {
            photos[s.StudentNumber] = (await app.AcceptPhotoAsync(s, TestPhotos.Standard())).Jpeg;
        }

        await app.AcceptPhotoAsync(students[2], store: false); // accepted, but not in storage

        using var staff = app.CollegeStaff(school, "law");
        using var response = await staff.GetAsync($"/api/verification/campaigns/{campaign}/print-list.xlsx?thumbnails=true&college=law");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workbook = new XSSFWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = (XSSFSheet)workbook.GetSheetAt(0);
        Assert.Equal("照片", sheet.GetRow(0).GetCell(7).StringCellValue);
        var pictures = ((XSSFDrawing)sheet.GetDrawingPatriarch()).GetShapes().OfType<XSSFPicture>()
            .ToDictionary(p => sheet.GetRow(p.ClientAnchor.Row1).GetCell(2).StringCellValue, p => p.PictureData.Data);
        Assert.Equal(photos.Keys.Order(StringComparer.Ordinal), pictures.Keys.Order(StringComparer.Ordinal));
        Assert.All(photos, p => Assert.Equal(p.Value, pictures[p.Key]));
        Assert.All(pictures.Keys, n => Assert.Equal(7, ((XSSFDrawing)sheet.GetDrawingPatriarch()).GetShapes().OfType<XSSFPicture>().First(p => sheet.GetRow(p.ClientAnchor.Row1).GetCell(2).StringCellValue == n).ClientAnchor.Col1));
        var missingRow = Enumerable.Range(1, sheet.LastRowNum).Select(sheet.GetRow).Single(r => r.GetCell(2).StringCellValue == students[2].StudentNumber);
        Assert.StartsWith("照片缺失", missingRow.GetCell(7).StringCellValue, StringComparison.Ordinal);

        // Every photo put into the list is a photo handed out: in the audit, by whom.
        using var admin = app.Admin(school);
        foreach (var s in students[..2])
        {
            var audit = await VerificationApp.ReadAsync<List<AuditApi.AccessView>>(await admin.GetAsync($"/api/verification/photo-access?registrationId={s.RegistrationId}"));
            Assert.Equal("print-list", Assert.Single(audit).What);
            Assert.StartsWith("college-staff:", audit[0].Actor, StringComparison.Ordinal);
        }

        // Without thumbnails the list has no pictures and hands out no photo.
        var plain = new XSSFWorkbook(new MemoryStream(await staff.GetByteArrayAsync($"/api/verification/campaigns/{campaign}/print-list.xlsx?college=law")));
        Assert.Empty(plain.GetAllPictures());
        Assert.Equal(7, plain.GetSheetAt(0).GetRow(0).LastCellNum);
    }

    [Fact]
    public async Task Disputes_to_act_on_show_the_fields_and_comment_and_the_audit_lists_who_saw_a_photo()
    {
        var (school, campaign, law, _) = await SchoolAsync();
        using var lawStaff = app.CollegeStaff(school, "law");
        var disputes = await VerificationApp.ReadAsync<List<StaffTasksApi.DisputeView>>(await lawStaff.GetAsync($"/api/verification/campaigns/{campaign}/disputes"));
        var dispute = Assert.Single(disputes);
        Assert.Equal(law[1].RegistrationId, dispute.Task.TaskId);
        Assert.Equal("data", dispute.Kind);
        Assert.Equal("name", dispute.Fields);
        Assert.Equal("名字错了", dispute.Comment);

        Assert.Equal(HttpStatusCode.OK, (await lawStaff.GetAsync($"/api/verification/tasks/{law[1].RegistrationId}/photo")).StatusCode);
        using var mathStaff = app.CollegeStaff(school, "math");
        Assert.Equal(HttpStatusCode.NotFound, (await mathStaff.GetAsync($"/api/verification/tasks/{law[1].RegistrationId}/photo")).StatusCode);

        using var admin = app.Admin(school);
        var audit = await VerificationApp.ReadAsync<List<AuditApi.AccessView>>(await admin.GetAsync($"/api/verification/photo-access?registrationId={law[1].RegistrationId}"));
        var entry = Assert.Single(audit);
        Assert.StartsWith("college-staff:", entry.Actor);
        Assert.Equal("photo", entry.What);

        using var other = app.Admin(VerificationApp.NewSchool());
        Assert.Empty(await VerificationApp.ReadAsync<List<AuditApi.AccessView>>(await other.GetAsync($"/api/verification/photo-access?registrationId={law[1].RegistrationId}")));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/verification/photo-access?pageSize=100000")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/verification/photo-access?page=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/verification/photo-access?registrationId=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lawStaff.GetAsync("/api/verification/photo-access")).StatusCode);
    }
}
