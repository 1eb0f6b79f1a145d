using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NPOI.XSSF.UserModel;

namespace Capture.Registration.Tests;

public sealed class ReviewAndScopeTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    private async Task<(TestSchool School, Guid Campaign, List<RosterData.Row> Law, List<RosterData.Row> Math)> TwoCollegesAsync()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var law = RosterData.Rows(3, "law", "法学院");
        var math = RosterData.Rows(2, "math", "数学学院", degree: "博士");
        (await school.ImportAsync(campaign, law.Concat(math))).EnsureSuccessStatusCode();
        return (school, campaign, law, math);
    }

    [Fact]
    public async Task College_staff_see_and_review_only_their_own_college()
    {
        var (school, campaign, law, math) = await TwoCollegesAsync();
        var mathId = await school.RegistrationIdAsync(campaign, math[0].StudentNumber);
        using var lawStaff = school.CollegeStaff("law");

        var page = await lawStaff.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/registrations?pageSize=50");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("law", i.GetProperty("collegeCode").GetString()));
        var filtered = await lawStaff.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/registrations?college=math");
        Assert.Equal(0, filtered.GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, (await lawStaff.GetAsync($"/api/registration/registrations/{mathId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lawStaff.GetAsync($"/api/registration/campaigns/{campaign}/students/{math[0].StudentNumber}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lawStaff.PostAsync($"/api/registration/registrations/{mathId}/approve", null)).StatusCode);
        var bulk = await (await lawStaff.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/reviews", new { decision = "approve", registrationIds = new[] { mathId } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-found", bulk.GetProperty("outcomes")[0].GetProperty("result").GetString());
        Assert.Equal("registered", (await school.RegistrationAsync(campaign, math[0].StudentNumber)).GetProperty("status").GetString());

        var counts = await lawStaff.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/counts");
        Assert.Equal(3, counts.GetProperty("total").GetInt32());
        Assert.Single(counts.GetProperty("byCollege").EnumerateArray());
    }

    [Fact]
    public async Task A_student_sees_only_themself_with_the_id_number_masked_and_confirms()
    {
        var (school, campaign, law, _) = await TwoCollegesAsync();
        var otherId = await school.RegistrationIdAsync(campaign, law[1].StudentNumber);
        using var student = school.Student(law[0].StudentNumber);

        var mine = await student.GetFromJsonAsync<JsonElement>("/api/registration/me/registrations");
        var registration = Assert.Single(mine.EnumerateArray()).GetProperty("registration");
        Assert.Equal(law[0].StudentNumber, registration.GetProperty("studentNumber").GetString());
        Assert.Equal(new string('*', 14) + law[0].IdNumber[^4..], registration.GetProperty("idNumber").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await student.PostAsync($"/api/registration/me/registrations/{otherId}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.GetAsync($"/api/registration/registrations/{otherId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.GetAsync($"/api/registration/campaigns/{campaign}/registrations")).StatusCode);

        var id = registration.GetProperty("id").GetGuid();
        using var confirmed = await student.PostAsync($"/api/registration/me/registrations/{id}/confirm", null);
        Assert.Equal("confirmed", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Approving_twice_writes_one_registration_approved_event_with_what_scheduling_and_payment_need()
    {
        var (school, campaign, law, _) = await TwoCollegesAsync();
        var id = await school.RegistrationIdAsync(campaign, law[0].StudentNumber);
        using var staff = school.CollegeStaff("law");

        using var first = await staff.PostAsync($"/api/registration/registrations/{id}/approve", null);
        using var retry = await staff.PostAsync($"/api/registration/registrations/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("approved", (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, await school.OutboxCountAsync("RegistrationApproved", id));
        var approved = Assert.Single(await school.OutboxBodiesAsync("RegistrationApproved", id));
        Assert.Equal(law[0].IdNumber, approved.GetProperty("idNumber").GetString());
        Assert.True(approved.GetProperty("verificationWindowDays").GetInt32() >= 1);
        Assert.StartsWith("****", approved.GetProperty("maskedIdNumber").GetString());
    }

    [Fact]
    public async Task Bulk_review_approves_and_rejects_with_a_reason_and_reports_each()
    {
        var (school, campaign, law, _) = await TwoCollegesAsync();
        var ids = new List<Guid>();
        foreach (var row in law)
        {
            ids.Add(await school.RegistrationIdAsync(campaign, row.StudentNumber));
        }

        using var staff = school.CollegeStaff("law");
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/reviews", new { decision = "reject", registrationIds = ids })).StatusCode);
        var rejected = await (await staff.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/reviews", new { decision = "reject", registrationIds = ids.Take(1), reason = "学籍异动" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, rejected.GetProperty("rejected").GetInt32());
        var approved = await (await staff.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/reviews", new { decision = "approve", registrationIds = ids }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, approved.GetProperty("approved").GetInt32());
        var events = 0;
        foreach (var id in ids)
        {
            events += await school.OutboxCountAsync("RegistrationApproved", id);
        }

        Assert.Equal(3, events);
        Assert.Equal(1, await school.OutboxCountAsync("RegistrationRejected", ids[0]));
    }

    [Fact]
    public async Task The_summary_counts_by_college_degree_level_and_status_as_xlsx_and_csv()
    {
        var (school, campaign, law, _) = await TwoCollegesAsync();
        using var staff = school.CollegeStaff("law");
        (await staff.PostAsync($"/api/registration/registrations/{await school.RegistrationIdAsync(campaign, law[0].StudentNumber)}/approve", null)).EnsureSuccessStatusCode();

        using var admin = school.Admin();
        var xlsx = await admin.GetByteArrayAsync($"/api/registration/campaigns/{campaign}/summary.xlsx");
        var sheet = new XSSFWorkbook(new MemoryStream(xlsx)).GetSheetAt(0);
        string Cell(int row, int col) => sheet.GetRow(row).GetCell(col).ToString()!;
        Assert.Equal(("law", "法学院", "硕士", "3", "2", "1"), (Cell(2, 0), Cell(2, 1), Cell(2, 2), Cell(2, 3), Cell(2, 4), Cell(2, 6)));
        Assert.Equal(("math", "博士", "2"), (Cell(3, 0), Cell(3, 2), Cell(3, 3)));
        Assert.Equal(("合计", "5"), (Cell(4, 0), Cell(4, 3)));

        var csv = await staff.GetStringAsync($"/api/registration/campaigns/{campaign}/summary.csv");
        Assert.Contains("law,法学院,硕士,3,2,0,1,0,0", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("math", csv, StringComparison.Ordinal);
    }
}

public sealed class CampaignAndWithdrawalTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    [Fact]
    public async Task Campaign_terms_are_validated_by_field_and_only_a_school_admin_creates_one()
    {
        var school = fixture.NewSchool();
        using var admin = school.Admin();
        using var bad = await admin.PostAsJsonAsync("/api/registration/campaigns", new { schoolName = "兰州大学", cohort = "2025届", degreeLevels = new[] { "研究生" }, studyModes = new[] { "全日制" }, feeFen = 20.5 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var invalid = await admin.PostAsJsonAsync("/api/registration/campaigns", new { schoolName = "兰州大学", cohort = "2025届", degreeLevels = new[] { "研究生" }, studyModes = new[] { "全日制" }, feeFen = 2000 });
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("degreeLevels", out _));
        Assert.True(errors.TryGetProperty("correctionDeadline", out _));
        Assert.False(errors.TryGetProperty("feeFen", out _));

        using var staff = school.CollegeStaff("law");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/registration/campaigns", RosterData.Campaign())).StatusCode);

        var campaign = await school.CreateCampaignAsync();
        var read = await staff.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}");
        Assert.Equal(("open", 2000, "+08:00"), (read.GetProperty("status").GetString(), read.GetProperty("feeFen").GetInt32(), read.GetProperty("correctionDeadline").GetString()![^6..]));
        using var stranger = fixture.NewSchool().Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/registration/campaigns/{campaign}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).StatusCode);
        (await admin.PostAsync($"/api/registration/campaigns/{campaign}/close", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/registration/campaigns/{campaign}/open", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await school.ImportAsync(campaign, RosterData.Rows(1))).StatusCode);
    }

    [Fact]
    public async Task Withdrawing_an_approved_registration_publishes_the_event_and_stops_its_capture_code()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var row = RosterData.Rows(1)[0];
        (await school.ImportAsync(campaign, [row])).EnsureSuccessStatusCode();
        var id = await school.RegistrationIdAsync(campaign, row.StudentNumber);
        using var admin = school.Admin();
        (await admin.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();
        using var student = school.Student(row.StudentNumber);
        var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{id}/capture-code")).GetProperty("code").GetString();

        (await admin.PostAsJsonAsync($"/api/registration/registrations/{id}/withdraw", new { reason = "退学" })).EnsureSuccessStatusCode();
        using var station = await school.StationAsync();
        Assert.Equal(HttpStatusCode.Gone, (await station.PostAsJsonAsync("/api/registration/capture-codes/verify", new { code })).StatusCode);
        Assert.Equal(1, await school.OutboxCountAsync("RegistrationWithdrawn", id));

        var status = await admin.GetFromJsonAsync<JsonElement>($"/api/registration/students/{row.StudentNumber}/registrations");
        Assert.Equal("withdrawn", Assert.Single(status.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task College_staff_cannot_take_over_another_colleges_student_by_uploading_their_number()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var math = RosterData.Rows(1, "math", "数学学院")[0];
        (await school.ImportAsync(campaign, [math])).EnsureSuccessStatusCode();

        var table = new[] { RosterData.Header, RosterData.Cells(math with { CollegeCode = "law", CollegeName = "法学院" }) };
        using var lawStaff = school.CollegeStaff("law");
        using var response = await TestSchool.UploadAsync(lawStaff, campaign, System.Text.Encoding.UTF8.GetBytes(RosterData.Csv(table)), "r.csv");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("another college", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("math", (await school.RegistrationAsync(campaign, math.StudentNumber)).GetProperty("collegeCode").GetString());
    }
}
