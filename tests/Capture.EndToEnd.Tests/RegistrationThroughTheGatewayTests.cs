using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.Registration.Tests;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using MassTransit;
using Xunit.Abstractions;

namespace Capture.EndToEnd.Tests;

/// <summary>Registration through the gateway, with the whole system running on the real database and broker.</summary>
[Collection(nameof(WholeSystem))]
public sealed class RegistrationThroughTheGatewayTests(SystemFixture fixture, ITestOutputHelper output)
{
    private const string Api = "/api/registration";

    private HttpClient Client(string role, string school, string? subject = null, string? college = null, TimeSpan? timeout = null)
    {
        var client = fixture.CreateClient(TestTokens.For(role, subject, school: school, college: college, venue: Guid.NewGuid().ToString()));
        client.Timeout = timeout ?? TimeSpan.FromSeconds(60);
        return client;
    }

    private async Task<Guid> CampaignAsync(string school)
    {
        using var admin = Client(CaptureRoles.SchoolAdmin, school);
        using var created = await admin.PostAsJsonAsync($"{Api}/campaigns", RosterData.Campaign());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"{Api}/campaigns/{id}/open", null)).EnsureSuccessStatusCode();
        return id;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid campaign, byte[] content, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return await client.PostAsync($"{Api}/campaigns/{campaign}/roster/file", form);
    }

    [Fact]
    public async Task A_20000_row_roster_is_imported_in_one_call_and_sending_it_again_changes_nothing()
    {
        var school = RosterData.SchoolCode();
        var campaign = await CampaignAsync(school);
        var rows = RosterData.Rows(20_000);
        using var sis = Client(CaptureRoles.IntegrationClient, school, "sis", timeout: TimeSpan.FromMinutes(3));
        var body = new { students = rows.Select(RosterData.Json) };

        var watch = Stopwatch.StartNew();
        using var first = await sis.PostAsJsonAsync($"{Api}/campaigns/{campaign}/roster", body);
        var firstTime = watch.Elapsed;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(20_000, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());

        watch.Restart();
        using var again = await sis.PostAsJsonAsync($"{Api}/campaigns/{campaign}/roster", body);
        var againTime = watch.Elapsed;
        var report = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 0, 20_000), (report.GetProperty("created").GetInt32(), report.GetProperty("updated").GetInt32(), report.GetProperty("unchanged").GetInt32()));
        output.WriteLine($"20,000 rows: first import {firstTime.TotalSeconds:F1} s, re-import {againTime.TotalSeconds:F1} s");

        var counts = await sis.GetFromJsonAsync<JsonElement>($"{Api}/campaigns/{campaign}/counts");
        Assert.Equal(20_000, counts.GetProperty("total").GetInt32());
        var page = await sis.GetFromJsonAsync<JsonElement>($"{Api}/campaigns/{campaign}/registrations?page=3&pageSize=1000&status=registered");
        Assert.Equal((20_000, 1000), (page.GetProperty("total").GetInt32(), page.GetProperty("items").GetArrayLength()));
    }

    [Fact]
    public async Task A_spreadsheet_with_mixed_bad_rows_gets_every_bad_row_back_and_imports_nothing()
    {
        var school = RosterData.SchoolCode();
        var campaign = await CampaignAsync(school);
        var rows = RosterData.Rows(6);
        rows[0] = rows[0] with { IdNumber = rows[0].IdNumber[..17] + (rows[0].IdNumber[17] == '0' ? '1' : '0') };
        rows[2] = rows[2] with { DegreeLevel = "" };
        rows[4] = rows[4] with { IdNumber = rows[1].IdNumber };
        var table = new[] { RosterData.Header }.Concat(rows.Select(RosterData.Cells)).ToList();
        using var admin = Client(CaptureRoles.SchoolAdmin, school);

        using var response = await UploadAsync(admin, campaign, RosterData.Workbook(table, legacy: true), "学院名单.xls");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rowErrors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(2, "身份证号"), (4, "培养层次"), (6, "身份证号")], errors);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"{Api}/campaigns/{campaign}/counts")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("gbk.csv")]
    [InlineData("legacy.xls")]
    public async Task A_gbk_csv_and_an_xls_file_read_chinese_names_correctly(string kind)
    {
        var school = RosterData.SchoolCode();
        var campaign = await CampaignAsync(school);
        var rows = RosterData.Rows(3, "his", "历史文化学院");
        rows[0] = rows[0] with { Name = "司马相如" };
        rows[1] = rows[1] with { Name = "热依拉·阿不都" };
        var table = new[] { RosterData.Header }.Concat(rows.Select(RosterData.Cells)).ToList();
        var content = kind == "gbk.csv" ? RosterData.Gbk(RosterData.Csv(table)) : RosterData.Workbook(table, legacy: true);
        using var staff = Client(CaptureRoles.CollegeStaff, school, college: "his");

        using var response = await UploadAsync(staff, campaign, content, kind);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        foreach (var row in rows)
        {
            var registration = await staff.GetFromJsonAsync<JsonElement>($"{Api}/campaigns/{campaign}/students/{row.StudentNumber}");
            Assert.Equal(row.Name, registration.GetProperty("name").GetString());
            Assert.Equal("历史文化学院", registration.GetProperty("collegeName").GetString());
        }
    }

    [Fact]
    public async Task Staff_of_one_college_neither_see_nor_approve_another_and_a_student_sees_only_themself()
    {
        var school = RosterData.SchoolCode();
        var campaign = await CampaignAsync(school);
        var law = RosterData.Rows(2, "law", "法学院");
        var math = RosterData.Rows(2, "math", "数学学院");
        using (var sis = Client(CaptureRoles.IntegrationClient, school, "sis"))
        {
            (await sis.PostAsJsonAsync($"{Api}/campaigns/{campaign}/roster", new { students = law.Concat(math).Select(RosterData.Json) })).EnsureSuccessStatusCode();
        }

        using var lawStaff = Client(CaptureRoles.CollegeStaff, school, college: "law");
        using var admin = Client(CaptureRoles.SchoolAdmin, school);
        var mathId = (await admin.GetFromJsonAsync<JsonElement>($"{Api}/campaigns/{campaign}/students/{math[0].StudentNumber}")).GetProperty("id").GetGuid();

        var list = await lawStaff.GetFromJsonAsync<JsonElement>($"{Api}/campaigns/{campaign}/registrations");
        Assert.Equal(new[] { "law", "law" }, list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("collegeCode").GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await lawStaff.GetAsync($"{Api}/registrations/{mathId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lawStaff.PostAsync($"{Api}/registrations/{mathId}/approve", null)).StatusCode);
        Assert.Equal("registered", (await admin.GetFromJsonAsync<JsonElement>($"{Api}/registrations/{mathId}")).GetProperty("status").GetString());

        using var student = Client(CaptureRoles.Student, school, law[0].StudentNumber);
        var mine = await student.GetFromJsonAsync<JsonElement>($"{Api}/me/registrations");
        Assert.Equal(law[0].StudentNumber, Assert.Single(mine.EnumerateArray()).GetProperty("registration").GetProperty("studentNumber").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await student.PostAsync($"{Api}/me/registrations/{mathId}/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task Registration_approved_is_published_exactly_once_even_when_the_approval_is_retried()
    {
        var school = RosterData.SchoolCode();
        var campaign = await CampaignAsync(school);
        var row = RosterData.Rows(1, "law", "法学院")[0];
        using (var sis = Client(CaptureRoles.IntegrationClient, school, "sis"))
        {
            (await sis.PostAsJsonAsync($"{Api}/campaigns/{campaign}/roster", new { students = new[] { RosterData.Json(row) } })).EnsureSuccessStatusCode();
        }

        using var staff = Client(CaptureRoles.CollegeStaff, school, college: "law");
        var id = (await staff.GetFromJsonAsync<JsonElement>($"{Api}/campaigns/{campaign}/students/{row.StudentNumber}")).GetProperty("id").GetGuid();

        var received = new ConcurrentBag<RegistrationApproved>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(fixture.System.Endpoints.MessagingIn(fixture.VirtualHost)));
            cfg.ReceiveEndpoint($"e2e-approved-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<RegistrationApproved>(context =>
                {
                    if (context.Message.RegistrationId == id)
                    {
                        received.Add(context.Message);
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            // A client that retries: two at once, then one more after the first answers.
            var responses = await Task.WhenAll(staff.PostAsync($"{Api}/registrations/{id}/approve", null), staff.PostAsync($"{Api}/registrations/{id}/approve", null));
            using var third = await staff.PostAsync($"{Api}/registrations/{id}/approve", null);
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);

            await Eventually.TrueAsync(() => !received.IsEmpty, TimeSpan.FromSeconds(30), "RegistrationApproved");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var approved = Assert.Single(received);
            Assert.Equal((campaign, school, "law", "法学院", row.StudentNumber, "master", "full-time", "城关校区", "2班", 2000L),
                (approved.CampaignId, approved.SchoolCode, approved.CollegeCode, approved.CollegeName, approved.StudentNumber, approved.DegreeLevel,
                 approved.StudyMode, approved.Campus, approved.ClassName, approved.FeeFen));
            Assert.Equal("**************" + row.IdNumber[^4..], approved.MaskedIdNumber);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
