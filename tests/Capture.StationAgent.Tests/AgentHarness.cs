using Capture.StationAgent.Core;

namespace Capture.StationAgent.Tests;

/// <summary>One station agent for a test: its hot folder, its data folder, a proxy it reaches the gateway through.</summary>
public sealed class AgentHarness : IAsyncDisposable
{
    private readonly List<FeedPhoto> feed = [];

    private AgentHarness(CaptureDay day, Guid station, TcpProxy proxy, string root)
    {
        Day = day;
        Station = station;
        Proxy = proxy;
        Root = root;
        Camera = new Camera(Directory.CreateDirectory(Path.Combine(root, "camera")).FullName);
        Options = new AgentOptions
        {
            Server = proxy.Address,
            StationId = station,
            HotFolder = Camera.Folder,
            DataFolder = Path.Combine(root, "data"),
            SessionId = day.Session,
            PollInterval = TimeSpan.FromMilliseconds(100),
            StableFor = TimeSpan.FromMilliseconds(400),
            FirstRetryAfter = TimeSpan.FromMilliseconds(200),
            MaxRetryAfter = TimeSpan.FromSeconds(1),
        };
    }

    public CaptureDay Day { get; }

    public Guid Station { get; }

    public TcpProxy Proxy { get; }

    public string Root { get; }

    public Camera Camera { get; }

    public AgentOptions Options { get; private set; }

    public StationAgentCore Agent { get; private set; } = null!;

    public List<string> Reports { get; } = [];

    public IReadOnlyList<FeedPhoto> Feed
    {
        get
        {
            lock (feed)
            {
                return [.. feed];
            }
        }
    }

    public static AgentHarness Start(AgentSystemFixture fixture, CaptureDay day, Guid station, Func<AgentOptions, AgentOptions>? configure = null)
    {
        var root = Directory.CreateTempSubdirectory("station-agent-").FullName;
        var harness = new AgentHarness(day, station, new TcpProxy(fixture.System.GatewayUri), root);
        if (configure is not null)
        {
            harness.Options = configure(harness.Options);
        }

        harness.StartAgent();
        return harness;
    }

    /// <summary>Starts (or, after <see cref="StopAbruptlyAsync"/>, restarts) the agent on the same folders and journal.</summary>
    public void StartAgent()
    {
        var http = AgentHttp.CreateClient(Options.Server);
        var tokens = new DevelopmentTokenSource(http, "photographer", Day.School, Day.Venue, TimeProvider.System);
        Agent = new StationAgentCore(Options, new CaptureApi(http, tokens));
        Agent.Watcher.FileReported += shot => Report($"{shot.FileName}: {shot.State}: {shot.Error}");
        Agent.Uploader.ShotRefused += (shot, why) => Report($"{shot.FileName}: refused: {why}");
        Agent.Feed.PhotoChanged += (photo, _) =>
        {
            lock (feed)
            {
                feed.Add(photo);
            }
        };
        Agent.Start();
    }

    /// <summary>Stops the agent at once, whatever it is doing (cancels an upload mid-body).</summary>
    public Task StopAbruptlyAsync() => Agent.DisposeAsync().AsTask();

    /// <summary>Scans until the check-in succeeds (the payment travels over RabbitMQ: until it arrives the station hears "unpaid").</summary>
    public async Task<ScanOutcome> ScanAsync(string code)
    {
        ScanOutcome? outcome = null;
        await Capture.Testing.Eventually.TrueAsync(async () =>
        {
            outcome = await Agent.ScanAsync(code);
            return outcome.Accepted;
        }, TimeSpan.FromSeconds(30), "a check-in by the agent");
        return outcome!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Agent.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        await Proxy.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Report(string line)
    {
        lock (Reports)
        {
            Reports.Add(line);
        }
    }
}
