using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.ServiceDefaults.Security;
using Capture.Testing;

namespace Capture.Registration.Tests;

public sealed class RosterImportTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<int> TotalAsync(HttpClient client, Guid campaignId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaignId}/counts")).GetProperty("total").GetInt32();

    [Fact]
    public async Task A_roster_with_bad_rows_imports_nothing_and_lists_each_bad_row_with_line_field_and_message()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(6);
        rows[1] = rows[1] with { IdNumber = rows[1].IdNumber[..17] + (rows[1].IdNumber[17] == '0' ? '1' : '0') };
        rows[2] = rows[2] with { DegreeLevel = "研究生" };
        rows[3] = rows[3] with { Name = "" };
        rows[4] = rows[4] with { StudentNumber = rows[0].StudentNumber };
        rows[5] = rows[5] with { IdNumber = "110105491231002" };

        using var response = await school.ImportAsync(campaign, rows);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        var errors = problem.GetProperty("rowErrors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Field: e.GetProperty("field").GetString(), Message: e.GetProperty("message").GetString()!)).ToList();
        Assert.Equal([2, 3, 4, 5, 6], errors.Select(e => e.Line).ToArray());
        Assert.Contains(errors, e => e is { Line: 2, Field: "idNumber" } && e.Message.Contains("check digit", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 3, Field: "degreeLevel" } && e.Message.Contains("研究生", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 4, Field: "name" });
        Assert.Contains(errors, e => e is { Line: 5, Field: "studentNumber" } && e.Message.Contains("line 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 6, Field: "idNumber" } && e.Message.Contains("15-digit", StringComparison.Ordinal));
        Assert.Contains("onlyValidRows", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var admin = school.Admin();
        Assert.Equal(0, await TotalAsync(admin, campaign));

        using var partial = await school.ImportAsync(campaign, rows, onlyValidRows: true);
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var report = await JsonAsync(partial);
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Equal(5, report.GetProperty("refused").GetInt32());
        Assert.Equal(1, await TotalAsync(admin, campaign));
    }

    [Fact]
    public async Task Re_importing_the_same_roster_changes_nothing_and_a_changed_field_is_updated_listed_and_audited()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(20);

        var first = await JsonAsync(await school.ImportAsync(campaign, rows));
        Assert.Equal(20, first.GetProperty("created").GetInt32());
        var registered = await school.OutboxCountAsync("StudentRegistered");

        var again = await JsonAsync(await school.ImportAsync(campaign, rows));
        Assert.Equal((0, 0, 20), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("unchanged").GetInt32()));
        Assert.Equal(registered, await school.OutboxCountAsync("StudentRegistered"));

        rows[7] = rows[7] with { ClassName = "3班", Campus = "榆中校区" };
        var changed = await JsonAsync(await school.ImportAsync(campaign, rows));
        Assert.Equal(1, changed.GetProperty("updated").GetInt32());
        var change = Assert.Single(changed.GetProperty("changes").EnumerateArray());
        Assert.Equal(rows[7].StudentNumber, change.GetProperty("studentNumber").GetString());
        Assert.Equal(new[] { "className", "campus" }, change.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToArray());

        var id = await school.RegistrationIdAsync(campaign, rows[7].StudentNumber);
        using var admin = school.Admin();
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/registration/registrations/{id}/history");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("field").GetString() == "campus" && h.GetProperty("oldValue").GetString() == "城关校区"
            && h.GetProperty("newValue").GetString() == "榆中校区" && h.GetProperty("changedBy").GetString() == "integration-client:sis");
        Assert.Equal(1, await school.OutboxCountAsync("StudentDataCorrected", id));
    }

    [Theory]
    [InlineData("gbk.csv")]
    [InlineData("utf8.csv")]
    [InlineData("legacy.xls")]
    [InlineData("sheet.xlsx")]
    public async Task A_spreadsheet_in_each_format_reads_chinese_names_correctly(string kind)
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(5, college: "chem", collegeName: "化学化工学院");
        rows[0] = rows[0] with { Name = "欧阳娜娜" };
        rows[1] = rows[1] with { Name = "阿依古丽·买买提" };
        var table = new[] { RosterData.Header }.Concat(rows.Select(RosterData.Cells)).ToList();
        var content = kind switch
        {
            "gbk.csv" => RosterData.Gbk(RosterData.Csv(table)),
            "utf8.csv" => [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(RosterData.Csv(table))],
            "legacy.xls" => RosterData.Workbook(table, legacy: true),
            _ => RosterData.Workbook(table, legacy: false),
        };

        using var staff = school.CollegeStaff("chem");
        using var response = await TestSchool.UploadAsync(staff, campaign, content, "名单." + kind.Split('.')[1]);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(5, (await JsonAsync(response)).GetProperty("created").GetInt32());

        foreach (var row in rows)
        {
            var registration = await school.RegistrationAsync(campaign, row.StudentNumber);
            Assert.Equal(row.Name, registration.GetProperty("name").GetString());
            Assert.Equal("化学化工学院", registration.GetProperty("collegeName").GetString());
            Assert.Equal(row.IdNumber, registration.GetProperty("idNumber").GetString());
        }
    }

    [Fact]
    public async Task A_spreadsheet_with_mixed_bad_rows_names_the_sheet_line_and_header()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(4);
        rows[1] = rows[1] with { StudyMode = "函授" };
        rows[3] = rows[3] with { IdNumber = rows[3].IdNumber[..6] + "19901332" + rows[3].IdNumber[14..] };
        var table = new[] { RosterData.Header }.Concat(rows.Select(RosterData.Cells)).ToList();

        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, RosterData.Workbook(table, legacy: false), "roster.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 3: 学习形式", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("line 5: 身份证号", out var birth), errors.ToString());
        Assert.Contains("birth date", birth[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAsyncFor(admin, campaign));
    }

    private static Task<int> TotalAsyncFor(HttpClient client, Guid campaignId) => TotalAsync(client, campaignId);

    [Fact]
    public async Task College_staff_may_upload_only_their_own_colleges_students()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var own = RosterData.Rows(2, college: "law");
        var other = RosterData.Rows(1, college: "math", collegeName: "数学学院");
        var table = new[] { RosterData.Header }.Concat(own.Concat(other).Select(RosterData.Cells)).ToList();

        using var staff = school.CollegeStaff("law");
        using var response = await TestSchool.UploadAsync(staff, campaign, Encoding.UTF8.GetBytes(RosterData.Csv(table)), "r.csv");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await JsonAsync(response)).GetProperty("rowErrors").EnumerateArray());
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.Contains("own college", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_the_required_columns_is_refused_naming_them()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, Encoding.UTF8.GetBytes("姓名,学号\n王伟,1\n"), "r.csv");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await JsonAsync(response)).GetProperty("errors").GetProperty("file")[0].GetString();
        Assert.Contains("身份证号", message, StringComparison.Ordinal);
        Assert.Contains("培养层次", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eligibility_refuses_a_second_capture_for_the_same_degree_level_but_not_a_phd_after_a_master()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(3);
        using (var admin = school.Admin())
        {
            using var recorded = await admin.PostAsJsonAsync("/api/registration/prior-captures", new
            {
                captures = new[] { new { idNumber = rows[0].IdNumber, degreeLevel = "硕士", note = "2022届" }, new { idNumber = rows[1].IdNumber, degreeLevel = "硕士", note = "2022届" } },
            });
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        }

        rows[1] = rows[1] with { DegreeLevel = "博士" };
        using var response = await school.ImportAsync(campaign, rows);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await JsonAsync(response)).GetProperty("rowErrors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("line").GetInt32());
        Assert.Contains("already has a capture for 硕士 (2022届)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_roster_row_marked_captured_is_refused_and_remembered()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(2);
        var table = new[] { RosterData.Header.Append("已采集").ToArray() }
            .Concat(rows.Select((r, i) => RosterData.Cells(r).Append(i == 0 ? "是" : "否").ToArray())).ToList();
        using var admin = school.Admin();
        using var first = await TestSchool.UploadAsync(admin, campaign, Encoding.UTF8.GetBytes(RosterData.Csv(table)), "r.csv", onlyValidRows: true);
        var report = await JsonAsync(first);
        Assert.Equal((1, 1), (report.GetProperty("created").GetInt32(), report.GetProperty("refused").GetInt32()));
        Assert.Equal("已采集", report.GetProperty("errors")[0].GetProperty("field").GetString());

        // Without the mark, the same student is still refused: the capture was remembered.
        var other = await school.CreateCampaignAsync(RosterData.Campaign("2026届"));
        using var second = await school.ImportAsync(other, [rows[0]]);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task After_the_correction_deadline_a_roster_may_not_change_a_students_data()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync(RosterData.Campaign());
        var rows = RosterData.Rows(2);
        (await school.ImportAsync(campaign, rows)).EnsureSuccessStatusCode();
        await school.PassCorrectionDeadlineAsync(campaign);

        rows[0] = rows[0] with { Name = "改名" };
        using var response = await school.ImportAsync(campaign, rows);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("frozen", (await JsonAsync(response)).GetProperty("rowErrors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_schools_campaign_is_not_found()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var stranger = fixture.NewSchool();
        using var response = await stranger.ImportAsync(campaign, RosterData.Rows(1));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var student = fixture.Factory.CreateClient(TestTokens.For(CaptureRoles.Student, "x", school: school.Code));
        using var forbidden = await student.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
