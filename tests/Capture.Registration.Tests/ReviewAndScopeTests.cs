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
