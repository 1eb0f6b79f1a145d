using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Capture.Registration.Tests;

/// <summary>
/// Bad input is a 400 naming the field, never a 500, for every endpoint family that takes text: over-long strings
/// (one more than the column), control characters (NUL reaches PostgreSQL as an error), emoji and symbols in names,
/// text-direction overrides; malformed capture codes; bad query and route values. Each case also checks that nothing
/// was saved.
/// </summary>
public sealed class BadInputTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    /// <summary>Kinds of bad text, for a field of <c>max</c> characters.</summary>
    public static TheoryData<string> BadText => new() { "too-long", "nul", "control", "bidi" };

    private static string Bad(string kind, int max, string valid = "法学院") => kind switch
    {
        "too-long" => new string('文', max + 1),
        "nul" => valid + "\0",
        "control" => valid + "\u0007",
        "bidi" => valid + "\u202E" + "gnp.exe",
        "emoji" => "王🙂",
        "symbol" => "王★伟",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static async Task<JsonElement> AssertBadRequestAsync(HttpResponseMessage response, string field, string? messagePart = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        var errors = problem.GetProperty("errors");
        var key = errors.EnumerateObject().Select(p => p.Name).FirstOrDefault(k => string.Equals(k, field, StringComparison.Ordinal));
        Assert.True(key is not null, $"no error for '{field}' in {text}");
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, errors.GetProperty(key).EnumerateArray().First().GetString(), StringComparison.Ordinal);
        }

        return problem;
    }

    private static string MessageFor(string kind) => kind switch
    {
        "too-long" => "At most",
        "nul" => "NUL",
        "control" => "Control characters",
        "bidi" => "Text-direction",
        _ => "",
    };

    private async Task<(TestSchool School, Guid Campaign, RosterData.Row Row, Guid Id)> StudentAsync()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var row = RosterData.Rows(1, "law")[0];
        (await school.ImportAsync(campaign, [row])).EnsureSuccessStatusCode();
        return (school, campaign, row, await school.RegistrationIdAsync(campaign, row.StudentNumber));
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Campaign_terms_with_bad_text_are_400_naming_the_field_and_nothing_is_created(string kind)
    {
        var school = fixture.NewSchool();
        using var admin = school.Admin();
        var terms = JsonSerializer.SerializeToNode(RosterData.Campaign(), JsonSerializerOptions.Web)!.AsObject();
        terms["schoolName"] = Bad(kind, 200);
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", terms);
        await AssertBadRequestAsync(created, "schoolName", MessageFor(kind));

        terms["schoolName"] = "兰州大学";
        terms["cohort"] = Bad(kind, 64, "2025届");
        using var cohort = await admin.PostAsJsonAsync("/api/registration/campaigns", terms);
        await AssertBadRequestAsync(cohort, "cohort", MessageFor(kind));
        Assert.Empty(await admin.GetFromJsonAsync<List<JsonElement>>("/api/registration/campaigns") ?? []);

        var campaign = await school.CreateCampaignAsync();
        using var updated = await admin.PutAsJsonAsync($"/api/registration/campaigns/{campaign}", terms);
        await AssertBadRequestAsync(updated, "cohort", MessageFor(kind));
        Assert.Equal("2025届", (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}")).GetProperty("cohort").GetString());
    }

    [Fact]
    public async Task Text_of_exactly_the_column_size_with_a_rare_character_is_accepted()
    {
        // 𠀀 (U+20000, CJK Extension B) is two UTF-16 units but one character for PostgreSQL: 64 of them fit varchar(64).
        var school = fixture.NewSchool();
        using var admin = school.Admin();
        var terms = JsonSerializer.SerializeToNode(RosterData.Campaign(), JsonSerializerOptions.Web)!.AsObject();
        terms["cohort"] = string.Concat(Enumerable.Repeat("𠀀", 64));
        using var created = await admin.PostAsJsonAsync("/api/registration/campaigns", terms);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Review_and_withdrawal_reasons_with_bad_text_are_400_and_the_registration_is_unchanged(string kind)
    {
        var (school, campaign, row, id) = await StudentAsync();
        var reason = Bad(kind, 1000, "照片不符合要求");
        using var staff = school.CollegeStaff("law");
        using var admin = school.Admin();

        await AssertBadRequestAsync(await staff.PostAsJsonAsync($"/api/registration/registrations/{id}/reject", new { reason }), "reason", MessageFor(kind));
        await AssertBadRequestAsync(await admin.PostAsJsonAsync($"/api/registration/registrations/{id}/withdraw", new { reason }), "reason", MessageFor(kind));
        await AssertBadRequestAsync(
            await staff.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/reviews", new { decision = "reject", registrationIds = new[] { id }, reason }),
            "reason",
            MessageFor(kind));

        Assert.Equal("registered", (await school.RegistrationAsync(campaign, row.StudentNumber)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reason_may_span_lines()
    {
        var (school, _, _, id) = await StudentAsync();
        using var staff = school.CollegeStaff("law");
        using var rejected = await staff.PostAsJsonAsync($"/api/registration/registrations/{id}/reject", new { reason = "照片背景不是白色。\r\n请重新拍摄。" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
    }

    [Theory]
    [InlineData("name", "too-long")]
    [InlineData("name", "nul")]
    [InlineData("name", "emoji")]
    [InlineData("name", "symbol")]
    [InlineData("name", "bidi")]
    [InlineData("className", "too-long")]
    [InlineData("className", "control")]
    [InlineData("major", "too-long")]
    [InlineData("campus", "nul")]
    public async Task A_correction_with_a_bad_new_value_is_400_naming_new_value_and_nothing_is_requested(string field, string kind)
    {
        var (school, _, row, id) = await StudentAsync();
        var max = field switch { "name" => 100, "className" or "campus" => 128, _ => 200 };
        using var student = school.Student(row.StudentNumber);
        using var response = await student.PostAsJsonAsync(
            $"/api/registration/me/registrations/{id}/corrections",
            new { field, newValue = Bad(kind, max, "王伟"), reason = "改名", documentReference = "公民主项信息变更证明" });
        await AssertBadRequestAsync(response, "newValue", kind is "emoji" or "symbol" ? "letters only" : MessageFor(kind));

        var mine = await student.GetFromJsonAsync<JsonElement>("/api/registration/me/registrations");
        Assert.Equal(0, mine[0].GetProperty("corrections").GetArrayLength());
    }

    [Theory]
    [InlineData("reason", 1000)]
    [InlineData("documentReference", 500)]
    public async Task A_correction_with_an_over_long_reason_or_document_reference_is_400(string field, int max)
    {
        var (school, _, row, id) = await StudentAsync();
        using var student = school.Student(row.StudentNumber);
        var body = new Dictionary<string, string> { ["field"] = "major", ["newValue"] = "法学", ["reason"] = "专业名称有误", ["documentReference"] = "教务处证明" };
        body[field] = new string('a', max + 1);
        using var response = await student.PostAsJsonAsync($"/api/registration/me/registrations/{id}/corrections", body);
        await AssertBadRequestAsync(response, field, "At most");
    }

    [Theory]
    [InlineData("阿依古丽·买买提")]
    [InlineData("阿依古丽•买买提")]
    [InlineData("阿依古丽・买买提")]
    public async Task A_name_correction_with_a_middle_dot_is_accepted_and_stored_with_the_id_card_dot(string name)
    {
        var (school, _, row, id) = await StudentAsync();
        using var student = school.Student(row.StudentNumber);
        using var response = await student.PostAsJsonAsync(
            $"/api/registration/me/registrations/{id}/corrections",
            new { field = "name", newValue = name, reason = "少数民族姓名", documentReference = "户口本" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("阿依古丽·买买提", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("newValue").GetString());
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task A_correction_decision_note_with_bad_text_is_400(string kind)
    {
        var (school, _, row, id) = await StudentAsync();
        using var student = school.Student(row.StudentNumber);
        using var requested = await student.PostAsJsonAsync(
            $"/api/registration/me/registrations/{id}/corrections",
            new { field = "name", newValue = "王小伟", reason = "改名", documentReference = "公民主项信息变更证明" });
        var correction = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var admin = school.Admin();
        using var response = await admin.PostAsJsonAsync($"/api/registration/corrections/{correction}/reject", new { note = Bad(kind, 1000, "证明不清晰") });
        await AssertBadRequestAsync(response, "note", MessageFor(kind));
        Assert.Equal("pending", (await student.GetFromJsonAsync<JsonElement>("/api/registration/me/registrations"))[0].GetProperty("corrections")[0].GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task A_prior_capture_with_a_bad_note_is_400_naming_the_item(string kind)
    {
        var school = fixture.NewSchool();
        using var admin = school.Admin();
        var id = RosterData.ResidentIds(1)[0];
        using var response = await admin.PostAsJsonAsync("/api/registration/prior-captures", new
        {
            captures = new[] { new { idType = "居民身份证", idNumber = id, degreeLevel = "硕士", note = Bad(kind, 200, "2019年已采集") } },
        });
        await AssertBadRequestAsync(response, "captures[0].note", MessageFor(kind));

        // Nothing was recorded: the same student imports.
        var campaign = await school.CreateCampaignAsync();
        var row = RosterData.Rows(1)[0] with { IdNumber = id };
        Assert.Equal(HttpStatusCode.OK, (await school.ImportAsync(campaign, [row])).StatusCode);
    }

    [Theory]
    [InlineData("name", "too-long", "At most 100")]
    [InlineData("name", "nul", "NUL")]
    [InlineData("name", "emoji", "letters only")]
    [InlineData("name", "symbol", "letters only")]
    [InlineData("className", "too-long", "At most 128")]
    [InlineData("className", "control", "Control characters")]
    [InlineData("major", "too-long", "At most 200")]
    [InlineData("campus", "nul", "NUL")]
    [InlineData("collegeName", "too-long", "At most 200")]
    [InlineData("collegeCode", "too-long", "At most 64")]
    [InlineData("cohort", "bidi", "Text-direction")]
    public async Task A_roster_row_with_bad_text_is_refused_by_line_and_field_and_the_other_rows_import(string field, string kind, string message)
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(3);
        var students = rows.Select(r => JsonSerializer.SerializeToNode(RosterData.Json(r), JsonSerializerOptions.Web)!.AsObject()).ToList();
        var max = field switch { "name" => 100, "className" or "campus" => 128, "collegeCode" or "cohort" => 64, _ => 200 };
        students[1][field] = Bad(kind, max, field == "name" ? "王伟" : "法学院");

        using var integration = school.Integration();
        using var refused = await integration.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students });
        var problem = await AssertBadRequestAsync(refused, $"line 2: {field}", message);
        var rowError = Assert.Single(problem.GetProperty("rowErrors").EnumerateArray());
        Assert.Equal((2, field), (rowError.GetProperty("line").GetInt32(), rowError.GetProperty("field").GetString()));

        using var partial = await integration.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students, onlyValidRows = true });
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var report = await partial.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 1), (report.GetProperty("created").GetInt32(), report.GetProperty("refused").GetInt32()));
    }

    [Fact]
    public async Task A_roster_name_with_a_look_alike_middle_dot_is_stored_with_the_id_card_dot()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var row = RosterData.Rows(1)[0] with { Name = "迪丽热巴・迪力木拉提" };
        Assert.Equal(HttpStatusCode.OK, (await school.ImportAsync(campaign, [row])).StatusCode);
        Assert.Equal("迪丽热巴·迪力木拉提", (await school.RegistrationAsync(campaign, row.StudentNumber)).GetProperty("name").GetString());
    }

    /// <summary>Codes of every wrong shape: empty, short, long, another prefix, characters outside base64url, NUL.</summary>
    public static TheoryData<string> MalformedCodes => new()
    {
        "",
        "C1",
        "C1AAAA",
        "X1" + new string('A', 48),
        "C1" + new string('A', 46) + "+/",
        "C1" + new string('A', 46) + "\0A",
        "C1" + new string('A', 47) + "é",
        "C1" + new string('A', 4000),
        "https://example.com/not-a-capture-code",
    };

    [Theory]
    [MemberData(nameof(MalformedCodes))]
    public async Task A_malformed_capture_code_is_400_saying_what_is_wrong(string code)
    {
        var school = fixture.NewSchool();
        using var station = await school.StationAsync();
        using var response = await station.PostAsJsonAsync("/api/registration/capture-codes/verify", new { code });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("capture code", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("registrations?college=law%00", "college")]
    [InlineData("registrations?college=law%07", "college")]
    [InlineData("registrations?page=0", "page")]
    [InlineData("registrations?page=2147483647&pageSize=1000", "page")]
    [InlineData("registrations?pageSize=1001", "pageSize")]
    [InlineData("registrations?page=99999999999", "page")]
    [InlineData("registrations?status=1", "status")]
    [InlineData("students/T1%07", "studentNumber")]
    [InlineData("corrections?status=%00", "status")]
    [InlineData("corrections?status=2", "status")]
    public async Task A_bad_query_or_route_value_is_400_naming_it(string path, string field)
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var admin = school.Admin();
        using var response = await admin.GetAsync($"/api/registration/campaigns/{campaign}/{path}");
        await AssertBadRequestAsync(response, field);
    }

    [Fact]
    public async Task The_last_page_that_exists_is_served_without_overflow()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var admin = school.Admin();
        using var response = await admin.GetAsync($"/api/registration/campaigns/{campaign}/registrations?page=2147484&pageSize=1000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());
    }
}
