using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Capture.Registration.Tests;

public sealed class CaptureCodeAndCorrectionTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    private async Task<(TestSchool School, Guid Campaign, RosterData.Row Row, Guid Id)> ApprovedStudentAsync(object? terms = null, bool approve = true)
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync(terms);
        var row = RosterData.Rows(1, "law")[0];
        (await school.ImportAsync(campaign, [row])).EnsureSuccessStatusCode();
        var id = await school.RegistrationIdAsync(campaign, row.StudentNumber);
        if (approve)
        {
            using var staff = school.CollegeStaff("law");
            (await staff.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();
        }

        return (school, campaign, row, id);
    }

    private static async Task<HttpResponseMessage> VerifyAsync(HttpClient client, string code) =>
        await client.PostAsJsonAsync("/api/registration/capture-codes/verify", new { code });

    [Fact]
    public async Task A_student_gets_the_capture_code_as_text_png_and_svg_and_a_station_verifies_it()
    {
        var (school, campaign, row, id) = await ApprovedStudentAsync();
        using var student = school.Student(row.StudentNumber);
        var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{id}/capture-code")).GetProperty("code").GetString()!;
        Assert.DoesNotContain(row.StudentNumber, code, StringComparison.Ordinal);

        using var png = await student.GetAsync($"/api/registration/me/registrations/{id}/capture-code.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], (await png.Content.ReadAsByteArrayAsync())[..4]);
        var svg = await student.GetStringAsync($"/api/registration/me/registrations/{id}/capture-code.svg");
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);

        using var station = await school.StationAsync();
        using var verified = await VerifyAsync(station, code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var body = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((id, campaign, row.Name, "**************" + row.IdNumber[^4..], school.Code),
            (body.GetProperty("registrationId").GetGuid(), body.GetProperty("campaignId").GetGuid(), body.GetProperty("studentName").GetString(),
             body.GetProperty("maskedIdNumber").GetString(), body.GetProperty("schoolCode").GetString()));
    }

    [Fact]
    public async Task A_tampered_code_is_400_a_revoked_one_410_and_a_reissued_one_replaces_the_old()
    {
        var (school, _, row, id) = await ApprovedStudentAsync();
        using var student = school.Student(row.StudentNumber);
        var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{id}/capture-code")).GetProperty("code").GetString()!;
        using var station = await school.StationAsync();

        var tampered = code[..10] + (code[10] == 'A' ? 'B' : 'A') + code[11..];
        using var forged = await VerifyAsync(station, tampered);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var staff = school.CollegeStaff("law");
        (await staff.PostAsync($"/api/registration/registrations/{id}/capture-code/revoke", null)).EnsureSuccessStatusCode();
        using var revoked = await VerifyAsync(station, code);
        Assert.Equal(HttpStatusCode.Gone, revoked.StatusCode);
        Assert.Contains("revoked", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await student.GetAsync($"/api/registration/me/registrations/{id}/capture-code")).StatusCode);

        var reissued = await (await staff.PostAsync($"/api/registration/registrations/{id}/capture-code/reissue", null)).Content.ReadFromJsonAsync<JsonElement>();
        var fresh = reissued.GetProperty("code").GetString()!;
        Assert.NotEqual(code, fresh);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(station, fresh)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await VerifyAsync(station, code)).StatusCode);
    }

    [Fact]
    public async Task A_school_admin_of_another_school_cannot_verify_the_code()
    {
        var (school, _, row, id) = await ApprovedStudentAsync();
        using var student = school.Student(row.StudentNumber);
        var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{id}/capture-code")).GetProperty("code").GetString()!;
        using var stranger = fixture.NewSchool().Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await VerifyAsync(stranger, code)).StatusCode);
        using var own = school.Admin();
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(own, code)).StatusCode);
    }

    [Fact]
    public async Task A_name_correction_waits_for_the_school_admin_and_is_then_applied_with_history_and_an_event()
    {
        var (school, _, row, id) = await ApprovedStudentAsync(approve: false);
        using var student = school.Student(row.StudentNumber);
        using var noDocument = await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections", new { field = "name", newValue = "王小明", reason = "错字" });
        Assert.Equal(HttpStatusCode.BadRequest, noDocument.StatusCode);

        var requested = await (await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections",
            new { field = "name", newValue = "王小明", reason = "错字", documentReference = "户口本复印件已交学院" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", requested.GetProperty("status").GetString());
        using (var reader = school.Admin())
        {
            Assert.Equal(row.Name, (await reader.GetFromJsonAsync<JsonElement>($"/api/registration/registrations/{id}")).GetProperty("name").GetString());
        }

        // The college cannot approve while the name is in question.
        using var staff = school.CollegeStaff("law");
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsync($"/api/registration/registrations/{id}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync($"/api/registration/corrections/{requested.GetProperty("id").GetGuid()}/approve", null)).StatusCode);

        using var admin = school.Admin();
        using var decided = await admin.PostAsJsonAsync($"/api/registration/corrections/{requested.GetProperty("id").GetGuid()}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var registration = await admin.GetFromJsonAsync<JsonElement>($"/api/registration/registrations/{id}");
        Assert.Equal("王小明", registration.GetProperty("name").GetString());
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/registration/registrations/{id}/history");
        var entry = Assert.Single(history.EnumerateArray());
        Assert.Equal((row.Name, "王小明", $"school-admin"), (entry.GetProperty("oldValue").GetString(), entry.GetProperty("newValue").GetString(), entry.GetProperty("changedBy").GetString()!.Split(':')[0]));
        Assert.Equal(1, await school.OutboxCountAsync("StudentDataCorrected", id));
        var corrected = Assert.Single(await school.OutboxBodiesAsync("StudentDataCorrected", id));
        Assert.Equal("王小明", corrected.GetProperty("current").GetProperty("studentName").GetString());
        Assert.Equal(row.StudentNumber, corrected.GetProperty("current").GetProperty("studentNumber").GetString());
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/registration/registrations/{id}/approve", null)).StatusCode);
    }

    [Fact]
    public async Task An_id_number_correction_is_validated_and_a_class_correction_applies_at_once()
    {
        var (school, _, row, id) = await ApprovedStudentAsync(approve: false);
        using var student = school.Student(row.StudentNumber);
        using var legacy = await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections",
            new { field = "idNumber", newValue = "110105491231002", reason = "旧号", documentReference = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, legacy.StatusCode);
        Assert.Contains("15-digit", await legacy.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var applied = await (await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections", new { field = "className", newValue = "5班", reason = "转班" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("applied", applied.GetProperty("status").GetString());
        using var admin = school.Admin();
        Assert.Equal("5班", (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/registrations/{id}")).GetProperty("className").GetString());
    }

    [Fact]
    public async Task After_the_deadline_a_correction_is_refused_with_the_date()
    {
        var (school, campaign, row, id) = await ApprovedStudentAsync(approve: false);
        await school.PassCorrectionDeadlineAsync(campaign);
        using var student = school.Student(row.StudentNumber);
        using var response = await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections", new { field = "major", newValue = "法律", reason = "x" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("frozen on", detail, StringComparison.Ordinal);
        Assert.Contains("(Beijing time)", detail, StringComparison.Ordinal);
    }
}
