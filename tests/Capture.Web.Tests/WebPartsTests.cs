using System.Net;
using System.Text;
using Capture.Web.Infrastructure;

namespace Capture.Web.Tests;

/// <summary>The web app's own small parts: the SSE reader, ProblemDetails as pages show them, local redirects only.</summary>
public sealed class WebPartsTests
{
    [Fact]
    public async Task Server_sent_events_are_read_with_ids_names_multi_line_data_and_comments_skipped()
    {
        const string stream = ": connected\nretry: 2000\n\nid: 1\nevent: photo\ndata: {\"a\":1}\n\n: heartbeat\n\nid: 2\ndata: line one\ndata: line two\n\n";
        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEvents.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(stream)), CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(2, events.Count);
        Assert.Equal(new ServerSentEvent("1", "photo", "{\"a\":1}"), events[0]);
        Assert.Equal(new ServerSentEvent("2", "message", "line one\nline two"), events[1]);
    }

    [Fact]
    public async Task A_problem_names_its_fields_and_keeps_extensions_and_a_non_json_answer_is_still_a_problem()
    {
        using var validation = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"title":"One or more validation errors occurred.","detail":"2 of 3 rows have errors","errors":{"line 3: idNumber":["The check digit is wrong."],"NewValue":["At most 64 characters."]},"rowErrors":[{"line":3}],"traceId":"00-abc-01"}""", Encoding.UTF8, "application/problem+json"),
        };
        var problem = await ApiProblem.ReadAsync(validation, CancellationToken.None);

        Assert.Equal(400, problem.Status);
        Assert.Equal("2 of 3 rows have errors", problem.Message);
        Assert.Equal("At most 64 characters.", problem.For("newValue"));
        Assert.Null(problem.For("reason"));
        Assert.Equal("00-abc-01", problem.TraceId);
        Assert.Equal(1, problem.Body!.Value.GetProperty("rowErrors").GetArrayLength());

        using var refused = new HttpResponseMessage(HttpStatusCode.Conflict)
        {
            Content = new StringContent("""{"title":"Refused","detail":"This student belongs to another session.","reason":"wrong-session"}"""),
        };
        Assert.Equal("wrong-session", (await ApiProblem.ReadAsync(refused, CancellationToken.None)).Code);

        using var html = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>"), ReasonPhrase = "Bad Gateway" };
        var fromProxy = await ApiProblem.ReadAsync(html, CancellationToken.None);
        Assert.Equal(502, fromProxy.Status);
        Assert.Equal("Bad Gateway", fromProxy.Message);
    }

    [Theory]
    [InlineData("/student", "/student")]
    [InlineData("/station/1?x=2", "/station/1?x=2")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void Redirects_after_sign_in_and_language_switch_stay_on_this_site(string? back, string expected) =>
        Assert.Equal(expected, WebServiceExtensions.SafeLocal(back));
}
