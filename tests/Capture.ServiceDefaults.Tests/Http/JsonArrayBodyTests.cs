using System.Text;
using System.Text.Json;
using Capture.ServiceDefaults.Http;
using Capture.Testing;
using Microsoft.AspNetCore.Http;

namespace Capture.ServiceDefaults.Tests.Http;

/// <summary>The streaming reader of array bodies: it stops reading one item past the limit, and reads whatever way the bytes arrive.</summary>
public sealed class JsonArrayBodyTests
{
    public sealed record Row(string? Name, int? Age);

    private static HttpRequest Request(Stream body, string contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.Body = body;
        context.Request.ContentType = contentType;
        return context.Request;
    }

    [Fact]
    public async Task Ten_million_rows_are_refused_after_reading_a_little_more_than_the_limit_allows()
    {
        var body = new RepeatedBodyStream("{\"rows\":[{}", ",{}", 9_999_999, "]}");
        var result = await JsonArrayBody.ReadAsync<Row>(Request(body), "rows", 20_000, [], JsonSerializerOptions.Web, CancellationToken.None);

        Assert.True(result.TooMany);
        Assert.Equal(20_000, result.Items.Count);
        Assert.True(body.BytesRead < 256 * 1024, $"{body.BytesRead} of {body.BodyLength} bytes were read");
    }

    /// <summary>A stream that hands out at most a few bytes per read, so every value is cut somewhere.</summary>
    private sealed class Trickle(byte[] content, int step) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, step)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Values_cut_at_any_byte_read_the_same_as_whole_and_other_properties_are_kept_or_skipped(int step)
    {
        var json = """
            { "skipped": {"a": [1, 2, {"b": "}]"}]}, "rows": [ {"name": "王伟", "age": 30}, null, {"name": "a\"b\u00e9 ]}", "age": null} ],
              "flag": true, "note": "after" }
            """;
        var result = await JsonArrayBody.ReadAsync<Row>(Request(new Trickle(Encoding.UTF8.GetBytes(json), step)), "rows", 10, ["flag", "note"], JsonSerializerOptions.Web, CancellationToken.None);

        Assert.False(result.TooMany);
        Assert.Equal([new Row("王伟", 30), null, new Row("a\"bé ]}", null)], result.Items);
        Assert.True(result.Bool("flag"));
        Assert.Equal("after", result.Properties["note"].GetString());
        Assert.False(result.Properties.ContainsKey("skipped"));
    }

    [Theory]
    [InlineData("{\"rows\":[{\"name\":\"a\"},{\"age\":\"x\"}]}", "$.rows[1].age")]
    [InlineData("{\"rows\":[{\"name\":\"a\"}", null)]
    [InlineData("{\"rows\":[{\"name\":\"a\"}]} {}", null)]
    [InlineData("{\"rows\":5}", "$.rows")]
    [InlineData("[]", "$")]
    [InlineData("", null)]
    public async Task Malformed_or_mistyped_json_is_a_bad_request_whose_json_error_names_the_place(string json, string? path)
    {
        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() =>
            JsonArrayBody.ReadAsync<Row>(Request(new Trickle(Encoding.UTF8.GetBytes(json), 5)), "rows", 10, [], JsonSerializerOptions.Web, CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, error.StatusCode);
        var inner = Assert.IsAssignableFrom<JsonException>(error.InnerException);
        if (path is not null)
        {
            Assert.Equal(path, inner.Path);
        }
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() =>
            JsonArrayBody.ReadAsync<Row>(Request(new MemoryStream("{}"u8.ToArray()), "text/csv"), "rows", 10, [], JsonSerializerOptions.Web, CancellationToken.None));
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, error.StatusCode);
    }
}
