using System.Net.Http.Headers;
using System.Text;

namespace Capture.AppHost.Hosting;

/// <summary>
/// A RabbitMQ node with the management plugin, every port on 127.0.0.1, its own HOME (so node and CLI share one
/// Erlang cookie) and its own epmd, which we start ourselves so that it too is stopped by our PID.
/// </summary>
public sealed class RabbitMqServer(string dataDirectory, string nodeName, RabbitMqPorts ports, ILogSink log) : IAsyncDisposable
{
    public const string ResourceName = "rabbitmq";
    public const string User = "guest";
    public const string Password = "guest";
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private ManagedProcess? epmd;
    private ManagedProcess? node;

    public RabbitMqPorts Ports { get; } = ports;

    public string AmqpUri(string virtualHost = "/") =>
        $"amqp://{User}:{Password}@127.0.0.1:{Ports.Amqp}/{Uri.EscapeDataString(virtualHost)}".Replace("/%2F", "/", StringComparison.Ordinal);

    public Uri ManagementUri => new($"http://127.0.0.1:{Ports.Management}/");

    public IEnumerable<ManagedProcess> Processes => new[] { node, epmd }.OfType<ManagedProcess>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(Bin, "rabbitmq-server")))
        {
            throw new InvalidOperationException("RabbitMQ is not installed: apt-get install -y --no-install-recommends rabbitmq-server");
        }

        var home = Path.Combine(dataDirectory, "home");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(Path.Combine(dataDirectory, "log"));
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "enabled_plugins"), "[rabbitmq_management].\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "rabbitmq.conf"), $"""
            listeners.tcp.1 = 127.0.0.1:{Ports.Amqp}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {Ports.Management}
            loopback_users = none
            log.console = true
            log.console.level = warning
            log.file = false
            """.Replace("            ", "", StringComparison.Ordinal), cancellationToken);

        var env = Environment(home);
        epmd = ManagedProcess.Start("epmd", "epmd", ["-port", Ports.Epmd.ToString(), "-address", "127.0.0.1"], log, dataDirectory, env);
        await Network.WaitUntilAsync("epmd", _ => Task.FromResult(Network.IsListening(Ports.Epmd)), TimeSpan.FromSeconds(15), epmd, cancellationToken);

        node = ManagedProcess.Start(ResourceName, Path.Combine(Bin, "rabbitmq-server"), [], log, dataDirectory, env);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{User}:{Password}")));
        await Network.WaitUntilAsync(
            ResourceName,
            async ct => Network.IsListening(Ports.Amqp) && (await http.GetAsync(new Uri(ManagementUri, "api/overview"), ct)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(90),
            node,
            cancellationToken);
    }

    /// <summary>Stops the node (SIGTERM to its group: RabbitMQ shuts down cleanly) and then our epmd.</summary>
    public async Task StopAsync()
    {
        if (node is not null)
        {
            await node.StopAsync(ManagedProcess.SigTerm, TimeSpan.FromSeconds(30));
        }

        if (epmd is not null)
        {
            await epmd.StopAsync(ManagedProcess.SigTerm, TimeSpan.FromSeconds(5));
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private Dictionary<string, string?> Environment(string home) => new()
    {
        ["HOME"] = home,
        ["RABBITMQ_NODENAME"] = nodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = Ports.Amqp.ToString(),
        ["RABBITMQ_DIST_PORT"] = Ports.Distribution.ToString(),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dataDirectory, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(dataDirectory, "log"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dataDirectory, "rabbitmq.conf"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dataDirectory, "enabled_plugins"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(dataDirectory, "rabbit.pid"),
        ["ERL_EPMD_PORT"] = Ports.Epmd.ToString(),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        ["PATH"] = Bin + ":" + System.Environment.GetEnvironmentVariable("PATH"),
    };
}

public sealed record RabbitMqPorts(int Amqp, int Management, int Distribution, int Epmd)
{
    public static RabbitMqPorts Free() => new(Network.FreePort(), Network.FreePort(), Network.FreePort(), Network.FreePort());
}
