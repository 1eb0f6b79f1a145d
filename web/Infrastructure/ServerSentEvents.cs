namespace Capture.Web.Infrastructure;

/// <summary>One Server-Sent Event: its id (for Last-Event-ID), its name and its data.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data);

/// <summary>Reads <c>text/event-stream</c> (the WHATWG format: id, event, data lines, a blank line ends an event; lines
/// starting with ':' are comments such as heartbeats). A line longer than <see cref="MaxLineLength"/> ends the stream.</summary>
public static class ServerSentEvents
{
    public const int MaxLineLength = 1 << 20;

    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream);
        string? id = null;
        var name = "message";
        var data = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length > MaxLineLength)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new ServerSentEvent(id, name, data.ToString());
                }

                name = "message";
                data.Clear();
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    break;
            }
        }
    }
}
