using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Capture.ServiceDefaults.Security;
using Capture.Testing;

namespace Capture.CaptureIngest.Tests;

/// <summary>The service on real Kestrel on a loopback port, as stations reach it: streaming and hang-ups behave as in production.</summary>
public sealed class KestrelCaptureIngestApp : CaptureIngestApp
{
    public KestrelCaptureIngestApp() => Service.UseKestrel(0);
}

/// <summary>A station's live feed: every change of its photos as it happens, and what was missed after a reconnect.</summary>
public sealed class FeedTests(KestrelCaptureIngestApp app) : IClassFixture<KestrelCaptureIngestApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_feed_sends_each_photo_as_it_is_stored_and_judged_and_a_reconnect_with_Last_Event_ID_gets_what_was_missed()
    {
        var station = await app.OpenStationAsync();
        await app.CheckInAsync(station, "B1-0001");
        using var op = app.Operator(station);
        var url = $"/api/capture/stations/{station.Id}/feed";

        var feed = await SseFeed.OpenAsync(op, url);
        var photo = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Unique(TestPhotos.Bytes(TestPhotos.Good)), 1);
        var stored = await feed.NextAsync(e => e.PhotoId == photo.Id, Patience);
        Assert.Equal(("photo", "bound"), (stored.Event, stored.Data.GetProperty("status").GetString()));
        var judged = stored.Data.GetProperty("verdict").GetString() == "pending" ? await feed.NextAsync(e => e.PhotoId == photo.Id, Patience) : stored;
        Assert.Equal("passed", judged.Data.GetProperty("verdict").GetString());
        Assert.True(long.Parse(judged.Id) >= long.Parse(stored.Id), "event ids only grow");

        // The laptop drops off the network; meanwhile a second shot is stored and judged.
        await feed.DisposeAsync();
        var second = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Unique(TestPhotos.Bytes(TestPhotos.Blurred)), 2);
        await Eventually.GetAsync(() => app.PhotoAsync(op, second.Id), p => p.Verdict != "pending", Patience, "the second shot judged");

        // Back with the id of the last event it saw: the missed shot arrives at once, judged, with its reasons.
        await using var again = await SseFeed.OpenAsync(op, url, lastEventId: judged.Id);
        var missed = await again.NextAsync(e => e.PhotoId == second.Id && e.Data.GetProperty("verdict").GetString() != "pending", TimeSpan.FromSeconds(10));
        Assert.Equal("failed", missed.Data.GetProperty("verdict").GetString());
        Assert.Contains("sharpness", missed.Data.GetProperty("failedMeasures").EnumerateArray().Select(m => m.GetString()));

        // A new feed without Last-Event-ID starts from now: the next change, not the day's history.
        await using var fresh = await SseFeed.OpenAsync(op, url);
        var third = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Unique(TestPhotos.Bytes(TestPhotos.Good)), 3);
        var first = await fresh.NextAsync(_ => true, Patience);
        Assert.Equal(third.Id, first.PhotoId);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999999")]
    public async Task A_Last_Event_ID_that_no_event_of_this_feed_could_have_is_a_400_naming_it(string value)
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/capture/stations/{station.Id}/feed");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", value);
        using var response = await op.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Equals("Last-Event-ID", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Only_the_venues_photographers_and_the_school_follow_a_stations_feed()
    {
        var station = await app.OpenStationAsync();
        var other = await app.OpenStationAsync();
        using var otherVenue = app.Operator(other);
        using var noVenue = app.Service.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: station.School, venue: null));
        using var otherSchool = app.Admin(CaptureIngestApp.NewSchool());
        var url = $"/api/capture/stations/{station.Id}/feed";

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(otherVenue, url));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(noVenue, url));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(otherSchool, url));
        using var admin = app.Admin(station.School);
        await using var school = await SseFeed.OpenAsync(admin, url);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    /// <summary>One Server-Sent Event of the feed.</summary>
    private sealed record FeedEvent(string Id, string Event, JsonElement Data)
    {
        public Guid PhotoId => Data.GetProperty("id").GetGuid();
    }

    /// <summary>Reads a feed's events in the background as they arrive.</summary>
    private sealed class SseFeed : IAsyncDisposable
    {
        private readonly Channel<FeedEvent> events = Channel.CreateUnbounded<FeedEvent>();
        private readonly CancellationTokenSource stop = new();
        private HttpResponseMessage? response;
        private Task reading = Task.CompletedTask;

        public static async Task<SseFeed> OpenAsync(HttpClient client, string url, string? lastEventId = null)
        {
            var feed = new SseFeed();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            }

            feed.response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (feed.response.StatusCode != HttpStatusCode.OK)
            {
                // Only a refusal has a body that ends: the feed's own never does.
                Assert.Fail($"{(int)feed.response.StatusCode}: {await feed.response.Content.ReadAsStringAsync()}");
            }

            Assert.Equal("text/event-stream", feed.response.Content.Headers.ContentType?.MediaType);
            // The reader is made here, not in the background task: a feed disposed at once must find it made.
            var reader = new StreamReader(await feed.response.Content.ReadAsStreamAsync());
            feed.reading = Task.Run(() => feed.ReadAsync(reader));
            return feed;
        }

        public async Task<FeedEvent> NextAsync(Func<FeedEvent, bool> match, TimeSpan timeout)
        {
            using var within = new CancellationTokenSource(timeout);
            while (true)
            {
                var next = await events.Reader.ReadAsync(within.Token);
                if (match(next))
                {
                    return next;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            response?.Dispose();
            try
            {
                await reading.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or TimeoutException)
            {
            }

            stop.Dispose();
        }

        private async Task ReadAsync(StreamReader reader)
        {
            using var owned = reader;
            string? id = null, name = null, data = null;
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        await events.Writer.WriteAsync(new FeedEvent(id ?? "", name ?? "message", JsonDocument.Parse(data).RootElement.Clone()));
                    }

                    (id, name, data) = (null, null, null);
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line[6..];
                }
            }
        }
    }
}
