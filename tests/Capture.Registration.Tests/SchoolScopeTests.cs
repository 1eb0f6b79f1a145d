using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Scheduling;
using Capture.Registration.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Registration.Tests;

/// <summary>
/// Personal data stays with its school: a station operator verifies only the codes of their venue's school (learned
/// from Scheduling's StationOpened through the real broker), and earlier-capture records of one school neither refuse
/// nor annotate another school's students.
/// </summary>
public sealed class SchoolScopeTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    private static async Task<HttpResponseMessage> VerifyAsync(HttpClient client, string code) =>
        await client.PostAsJsonAsync("/api/registration/capture-codes/verify", new { code });

    private async Task<(TestSchool School, RosterData.Row Row, Guid Id, string Code)> ApprovedStudentAsync()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var row = RosterData.Rows(1, "law")[0];
        (await school.ImportAsync(campaign, [row])).EnsureSuccessStatusCode();
        var id = await school.RegistrationIdAsync(campaign, row.StudentNumber);
        using var staff = school.CollegeStaff("law");
        (await staff.PostAsync($"/api/registration/registrations/{id}/approve", null)).EnsureSuccessStatusCode();
        using var student = school.Student(row.StudentNumber);
        var code = (await student.GetFromJsonAsync<JsonElement>($"/api/registration/me/registrations/{id}/capture-code")).GetProperty("code").GetString()!;
        return (school, row, id, code);
    }

    [Fact]
    public async Task An_operator_verifies_the_codes_of_their_venues_school_and_another_schools_code_is_404_revealing_nothing()
    {
        var (a, rowA, idA, codeA) = await ApprovedStudentAsync();
        var (b, rowB, idB, codeB) = await ApprovedStudentAsync();
        using var stationA = await a.StationAsync();
        using var stationB = await b.StationAsync();

        using (var own = await VerifyAsync(stationA, codeA))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal(rowA.Name, (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("studentName").GetString());
        }

        using (var other = await VerifyAsync(stationA, codeB))
        {
            var text = await other.Content.ReadAsStringAsync();
            Assert.True(other.StatusCode == HttpStatusCode.NotFound, $"{(int)other.StatusCode}: {text}");
            Assert.DoesNotContain(rowB.Name, text, StringComparison.Ordinal);
            Assert.DoesNotContain(rowB.StudentNumber, text, StringComparison.Ordinal);
            Assert.DoesNotContain(idB.ToString(), text, StringComparison.OrdinalIgnoreCase);
        }

        // A revoked code of the other school is not even "revoked" to this operator: still 404.
        using (var staffB = b.CollegeStaff("law"))
        {
            (await staffB.PostAsync($"/api/registration/registrations/{idB}/capture-code/revoke", null)).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.NotFound, (await VerifyAsync(stationA, codeB)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await VerifyAsync(stationB, codeB)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await VerifyAsync(stationB, codeA)).StatusCode);

        // Ops still verify any school's code; a school admin only their own.
        using var ops = fixture.Factory.CreateClient(TestTokens.For(CaptureRoles.Ops));
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(ops, codeA)).StatusCode);
        using var adminB = b.Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await VerifyAsync(adminB, codeA)).StatusCode);
        Assert.NotEqual(idA, idB);
    }

    [Fact]
    public async Task An_operator_of_a_venue_not_known_yet_is_403_saying_why_and_one_without_a_venue_claim_is_403_naming_it()
    {
        var (a, _, _, code) = await ApprovedStudentAsync();
        using var unknown = a.UnknownVenueStation();
        using (var response = await VerifyAsync(unknown, code))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {text}");
            Assert.Contains("opens a station there", text, StringComparison.Ordinal);
            Assert.DoesNotContain("studentName", text, StringComparison.Ordinal);
        }

        using var noVenue = fixture.Factory.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: a.Code, venue: null));
        using (var response = await VerifyAsync(noVenue, code))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {text}");
            Assert.Contains("'venue' claim", text, StringComparison.Ordinal);
        }

        // A school claim on an operator's token widens nothing: the venue decides.
        using var notAVenue = fixture.Factory.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: a.Code, venue: "gym"));
        Assert.Equal(HttpStatusCode.Forbidden, (await VerifyAsync(notAVenue, code)).StatusCode);
    }

    [Fact]
    public async Task A_venue_keeps_the_school_it_was_opened_for_and_redelivered_or_repeated_station_events_change_nothing()
    {
        var a = fixture.NewSchool();
        var venue = await a.OpenVenueAsync();

        // A second station of the same venue, the same event again, and one claiming the venue for another school.
        await fixture.PublishAsync(new StationOpened(Guid.NewGuid(), venue, a.Code, "B2", "Camera B2", DateTimeOffset.UtcNow));
        await fixture.PublishAsync(new StationOpened(Guid.NewGuid(), venue, RosterData.SchoolCode(), "B3", "Camera B3", DateTimeOffset.UtcNow));
        var marker = await fixture.NewSchool().OpenVenueAsync();

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var row = await db.Venues.AsNoTracking().SingleAsync(v => v.VenueId == venue);
        Assert.Equal(a.Code, row.SchoolCode);
        Assert.True(await db.Venues.AnyAsync(v => v.VenueId == marker));
    }

    [Fact]
    public async Task Earlier_captures_recorded_by_one_school_neither_refuse_nor_annotate_another_schools_student()
    {
        var a = fixture.NewSchool();
        var b = fixture.NewSchool();
        var row = RosterData.Rows(1)[0];
        using (var adminA = a.Admin())
        {
            using var recorded = await adminA.PostAsJsonAsync("/api/registration/prior-captures", new
            {
                captures = new[] { new { idNumber = row.IdNumber, degreeLevel = "硕士", note = "学校A的内部备注" } },
            });
            Assert.Equal(1, (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetInt32());
        }

        // School B has never heard of that capture: its student imports, and B may record the same capture for itself.
        var campaignB = await b.CreateCampaignAsync();
        using (var imported = await b.ImportAsync(campaignB, [row]))
        {
            var text = await imported.Content.ReadAsStringAsync();
            Assert.True(imported.StatusCode == HttpStatusCode.OK, text);
            Assert.DoesNotContain("学校A的内部备注", text, StringComparison.Ordinal);
        }

        using (var adminB = b.Admin())
        {
            using var recorded = await adminB.PostAsJsonAsync("/api/registration/prior-captures", new
            {
                captures = new[] { new { idNumber = row.IdNumber, degreeLevel = "硕士", note = "B" } },
            });
            var report = await recorded.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((1, 0), (report.GetProperty("recorded").GetInt32(), report.GetProperty("alreadyKnown").GetInt32()));
        }

        // School A's own record still refuses the student in A, with A's note.
        var campaignA = await a.CreateCampaignAsync();
        using var refused = await a.ImportAsync(campaignA, [row with { StudentNumber = row.StudentNumber + "A" }]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("学校A的内部备注", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_captured_mark_in_one_schools_roster_does_not_refuse_the_student_in_another_school()
    {
        var a = fixture.NewSchool();
        var b = fixture.NewSchool();
        var row = RosterData.Rows(1)[0];
        var campaignA = await a.CreateCampaignAsync();
        var markedRow = JsonSerializer.SerializeToNode(RosterData.Json(row), JsonSerializerOptions.Web)!.AsObject();
        markedRow["previouslyCaptured"] = true;
        using (var integration = a.Integration())
        {
            using var marked = await integration.PostAsJsonAsync($"/api/registration/campaigns/{campaignA}/roster", new { students = new[] { markedRow }, onlyValidRows = true });
            Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        }

        var campaignB = await b.CreateCampaignAsync();
        Assert.Equal(HttpStatusCode.OK, (await b.ImportAsync(campaignB, [row])).StatusCode);

        var again = await a.CreateCampaignAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await a.ImportAsync(again, [row])).StatusCode);
    }
}
