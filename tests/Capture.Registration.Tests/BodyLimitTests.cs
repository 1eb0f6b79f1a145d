using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Testing;

namespace Capture.Registration.Tests;

/// <summary>
/// Bodies are limited before they are read: 1 MB for JSON endpoints, 32 MB for rosters (JSON or a file in its
/// multipart envelope), 8 MB for earlier captures; a declared length over the limit is 413 at once, an undeclared one
/// is stopped at the limit; the REST roster stops reading at student 20,001. (The in-process test server pulls the
/// whole request from the client whatever the app reads, so that reading stops early is shown by ServiceDefaults'
/// JsonArrayBodyTests on a bare stream and through Kestrel by the end-to-end tests.)
/// </summary>
public sealed class BodyLimitTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    private static async Task<JsonElement> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static StreamContent Body(RepeatedBodyStream stream, string contentType, bool declareLength = true)
    {
        var content = new StreamContent(stream, 64 * 1024);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (declareLength)
        {
            content.Headers.ContentLength = stream.BodyLength;
        }

        return content;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_json_body_over_1_MB_is_413_naming_the_limit_whether_or_not_it_declares_its_length(bool declared)
    {
        var school = fixture.NewSchool();
        using var admin = school.Admin();
        var body = new RepeatedBodyStream("{\"schoolName\":\"", "兰", 400_000, "\"}");
        using var response = await admin.PostAsync("/api/registration/campaigns", Body(body, "application/json", declared));

        var problem = await AssertStatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 1 MB", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await admin.GetFromJsonAsync<List<JsonElement>>("/api/registration/campaigns") ?? []);
    }

    [Fact]
    public async Task A_roster_declaring_more_than_32_MB_is_413_before_it_is_read_as_json_or_as_a_file()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var sis = school.Integration();
        var json = new RepeatedBodyStream("{\"students\":[", "{}, ", 9 * 1024 * 1024, "{}]}");
        using (var response = await sis.PostAsync($"/api/registration/campaigns/{campaign}/roster", Body(json, "application/json")))
        {
            var problem = await AssertStatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("at most 32 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("20,000 students", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var admin = school.Admin();
        var file = new RepeatedBodyStream("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n\r\n", "S1,王伟\r\n", 4 * 1024 * 1024, "\r\n--b--\r\n");
        using (var response = await admin.PostAsync($"/api/registration/campaigns/{campaign}/roster/file", Body(file, "multipart/form-data; boundary=b")))
        {
            var problem = await AssertStatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("at most 32.06 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_roster_of_ten_million_tiny_rows_is_refused_at_row_20001_without_reading_the_rest()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var sis = school.Integration();

        // About 30 MB, under the 32 MB body limit: only the row count can refuse it.
        var body = new RepeatedBodyStream("{\"onlyValidRows\":true,\"students\":[{}", ",{}", 9_999_999, "]}");
        Assert.True(body.BodyLength < 32 * 1024 * 1024);
        using var response = await sis.PostAsync($"/api/registration/campaigns/{campaign}/roster", Body(body, "application/json"));

        var problem = await AssertStatusAsync(response, HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("students")[0].GetString()!;
        Assert.Contains("at most 20000", message, StringComparison.Ordinal);
        Assert.Contains("reading stopped at student 20001", message, StringComparison.Ordinal);
        using var admin = school.Admin();
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/api/registration/campaigns/{campaign}/registrations")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_roster_of_20001_students_is_refused_naming_the_limit_and_20000_with_the_flag_after_the_array_import()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var sis = school.Integration();
        var rows = RosterData.Rows(20_001);

        using (var refused = await sis.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students = rows.Select(RosterData.Json) }))
        {
            var problem = await AssertStatusAsync(refused, HttpStatusCode.BadRequest);
            Assert.Contains("at most 20000", problem.GetProperty("errors").GetProperty("students")[0].GetString(), StringComparison.Ordinal);
        }

        // The flag after the array still counts; one bad row is left out.
        var students = rows.Take(20_000).Select(r => JsonSerializer.SerializeToNode(RosterData.Json(r), JsonSerializerOptions.Web)).ToList();
        students[7]!["idNumber"] = "123";
        using var imported = await sis.PostAsJsonAsync($"/api/registration/campaigns/{campaign}/roster", new { students, onlyValidRows = true, ignored = new { deep = new[] { 1, 2 } } });
        var report = await AssertStatusAsync(imported, HttpStatusCode.OK);
        Assert.Equal((19_999, 1), (report.GetProperty("created").GetInt32(), report.GetProperty("refused").GetInt32()));
    }

    [Theory]
    [InlineData("{\"students\":[{\"studentNumber\":\"S1\"},{\"name\":12}]}", "students[1].name")]
    [InlineData("{\"students\":[{\"studentNumber\":\"S1\"},{\"name\":\"王伟\"", "body")]
    [InlineData("{\"students\":{\"name\":\"王伟\"}}", "students")]
    [InlineData("[{\"name\":\"王伟\"}]", "body")]
    [InlineData("{\"students\":[{}],\"onlyValidRows\":\"yes\"}", "onlyValidRows")]
    [InlineData("{\"students\":[{}]} trailing", "body")]
    [InlineData("", "body")]
    public async Task A_roster_body_that_does_not_parse_or_bind_is_400_naming_where(string body, string field)
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var sis = school.Integration();
        using var response = await sis.PostAsync($"/api/registration/campaigns/{campaign}/roster", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await AssertStatusAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_roster_sent_as_another_media_type_is_415()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        using var sis = school.Integration();
        using var response = await sis.PostAsync($"/api/registration/campaigns/{campaign}/roster", new StringContent("{\"students\":[{}]}", Encoding.UTF8, "text/plain"));
        await AssertStatusAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task More_than_20000_earlier_captures_are_refused_while_reading_and_their_text_is_still_validated()
    {
        var school = fixture.NewSchool();
        using var admin = school.Admin();
        var body = new RepeatedBodyStream("{\"captures\":[{}", ",{}", 2_000_000, "]}");
        using (var response = await admin.PostAsync("/api/registration/prior-captures", Body(body, "application/json")))
        {
            var problem = await AssertStatusAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains("20000", problem.GetProperty("errors").GetProperty("captures")[0].GetString(), StringComparison.Ordinal);
        }
        var tooBig = new RepeatedBodyStream("{\"captures\":[{\"note\":\"", "x", 9 * 1024 * 1024, "\"}]}");
        using (var response = await admin.PostAsync("/api/registration/prior-captures", Body(tooBig, "application/json")))
        {
            var problem = await AssertStatusAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("at most 8 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
