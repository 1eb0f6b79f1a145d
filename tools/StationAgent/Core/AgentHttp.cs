namespace Capture.StationAgent.Core;

/// <summary>The agent's HttpClient: short connect timeout (a dead venue network is noticed fast), no overall timeout (the feed stays open; each call sets its own).</summary>
public static class AgentHttp
{
    public static HttpClient CreateClient(Uri server) => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Expect100ContinueTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseProxy = false,
    })
    {
        BaseAddress = server,
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
