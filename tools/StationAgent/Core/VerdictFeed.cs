using System.Net;
using System.Text;
using System.Text.Json;

namespace Capture.StationAgent.Core;

/// <summary>
/// Follows the station's live feed (<c>GET /api/capture/stations/{id}/feed</c>, Server-Sent Events, event <c>photo</c>),
/// records each verdict in the journal and tells the screen. Reconnects with back-off and <c>Last-Event-ID</c> (kept in
/// the journal), so verdicts given while the network was down arrive when it returns.
/// </summary>
public sealed class VerdictFeed(AgentOptions options, Journal journal, CaptureApi api, AgentStatus status)
{
    /// <summary>The journal setting that keeps the id of the last feed event seen.</summary>
    public const string LastEventKey = "feed_last_event_id";

    public event Action<FeedPhoto, Shot?>? PhotoChanged;

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(() => failures = 0, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException or JsonException or SignInException)
            {
                // Reconnect below.
            }

            status.FeedConnected = false;
            var delay = TimeSpan.FromSeconds(Math.Min(options.MaxRetryAfter.TotalSeconds, options.FirstRetryAfter.TotalSeconds * Math.Pow(2, Math.Min(failures++, 10))));
            await Task.Delay(delay, ct);
        }
    }

    private async Task FollowAsync(Action connected, CancellationToken ct)
    {
        using var response = await api.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/capture/stations/{options.StationId}/feed");
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (journal.GetSetting(LastEventKey) is { } last)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", last);
            }

            return request;
        }, ct, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.BadRequest && journal.GetSetting(LastEventKey) is not null)
        {
            // The service refuses the id the journal kept (a damaged journal, a clock far off): follow from now rather
            // than be refused on every reconnect. Shots already judged stay in the journal; new verdicts still arrive.
            journal.SetSetting(LastEventKey, null);
            throw new HttpRequestException("feed: 400 for the kept Last-Event-ID; following from now");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"feed: {(int)response.StatusCode}");
        }

        status.FeedConnected = true;
        connected();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null;
        string? eventName = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (eventName == "photo" && data.Length > 0)
                {
                    Dispatch(data.ToString());
                }

                if (id is not null)
                {
                    journal.SetSetting(LastEventKey, id);
                }

                (id, eventName) = (null, null);
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue; // a heartbeat comment
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    eventName = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
            }
        }
    }

    private void Dispatch(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var photo = FeedPhoto.Parse(doc.RootElement);
        var quality = doc.RootElement.TryGetProperty("quality", out var q) && q.ValueKind == JsonValueKind.Object ? q.GetRawText() : null;
        journal.RecordVerdict(photo.Id, photo.Verdict, photo.FailedMeasures.Count > 0 ? string.Join(',', photo.FailedMeasures) : null, quality);
        PhotoChanged?.Invoke(photo, journal.FindByServerId(photo.Id));
    }
}
