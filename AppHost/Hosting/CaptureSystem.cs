using System.Security.Cryptography;

namespace Capture.AppHost.Hosting;

public sealed record CaptureSystemOptions
{
    public string RepoRoot { get; init; } = Paths.RepoRoot;

    /// <summary>Where PostgreSQL, RabbitMQ and S3 keep their data; a second run on the same folder reuses it.</summary>
    public string DataDirectory { get; init; } = Path.Combine(Paths.RepoRoot, ".data");

    /// <summary>Use these servers instead of starting our own (the AppHost's <c>--external</c> option, and the test script's shared servers).</summary>
    public InfrastructureEndpoints? ExternalInfrastructure { get; init; }

    /// <summary>Throwaway infrastructure on free ports with unsafe-but-fast settings, and services on free ports: for tests.</summary>
    public bool ForTests { get; init; }

    public int GatewayPort { get; init; } = ServiceDefinition.Gateway.DefaultPort;

    public string Environment { get; init; } = "Development";

    /// <summary>The key the gateway's development issuer signs with and every service validates with; made and kept in the data folder when not given.</summary>
    public string? SigningKey { get; init; }

    /// <summary>Appended to each database name, so several systems can share one PostgreSQL server.</summary>
    public string DatabaseSuffix { get; init; } = "";

    /// <summary>The RabbitMQ virtual host the services use (must exist).</summary>
    public string VirtualHost { get; init; } = "/";

    public ILogSink Log { get; init; } = new ConsoleLogSink();

    public IReadOnlyDictionary<string, string?> ExtraEnvironment { get; init; } = new Dictionary<string, string?>();
}

/// <summary>A resource of the running system, as the AppHost's table shows it.</summary>
public sealed record ResourceInfo(string Name, string Kind, string Url, int? Pid);

/// <summary>
/// The whole system: infrastructure (or external servers), the five services, the gateway. Starts them in
/// dependency order and waits for each to be healthy; stops everything it started in reverse order.
/// This is what Aspire's DistributedApplication does for an AppHost, kept to what Capture needs.
/// </summary>
public sealed class CaptureSystem : IAsyncDisposable
{
    private readonly CaptureSystemOptions options;
    private readonly List<(ServiceDefinition Definition, ManagedProcess Process, int Port)> projects = [];
    private readonly List<ResourceInfo> resources = [];
    private LocalInfrastructure? infrastructure;
    private volatile bool stopping;

    private CaptureSystem(CaptureSystemOptions options) => this.options = options;

    public InfrastructureEndpoints Endpoints { get; private set; } = null!;

    public Uri GatewayUri { get; private set; } = null!;

    public string SigningKey { get; private set; } = "";

    public IReadOnlyList<ResourceInfo> Resources => resources;

    /// <summary>Every process this system started (infrastructure, services, gateway), by PID.</summary>
    public IReadOnlyList<int> ProcessIds =>
        [.. (infrastructure?.Processes ?? []).Select(p => p.Pid), .. projects.Select(p => p.Process.Pid)];

    /// <summary>Every TCP port on 127.0.0.1 that this system's processes listen on.</summary>
    public IReadOnlyList<int> Ports
    {
        get
        {
            var ports = projects.Select(p => p.Port).ToList();
            if (infrastructure is not null)
            {
                var r = infrastructure.RabbitMq.Ports;
                ports.AddRange([infrastructure.Postgres.Port, infrastructure.S3.Port, r.Amqp, r.Management, r.Distribution, r.Epmd]);
            }

            return ports;
        }
    }

    public Uri ServiceUri(string resourceName) =>
        new($"http://127.0.0.1:{projects.Single(p => p.Definition.ResourceName == resourceName).Port}");

    public static async Task<CaptureSystem> StartAsync(CaptureSystemOptions options, CancellationToken cancellationToken = default)
    {
        var system = new CaptureSystem(options);
        try
        {
            await system.StartCoreAsync(cancellationToken);
            return system;
        }
        catch
        {
            await system.StopAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        SigningKey = options.SigningKey ?? await LoadOrCreateSigningKeyAsync(options.DataDirectory, cancellationToken);

        if (options.ExternalInfrastructure is { } external)
        {
            Endpoints = external;
            resources.Add(new ResourceInfo("postgres", "external", Redact(external.Postgres), null));
            resources.Add(new ResourceInfo("rabbitmq", "external", Redact(external.Messaging), null));
            resources.Add(new ResourceInfo("s3", "external", Redact(external.Photos), null));
        }
        else
        {
            Log("starting postgres, rabbitmq and s3");
            var infraOptions = options.ForTests
                ? LocalInfrastructureOptions.WithFreePorts(options.DataDirectory)
                : LocalInfrastructureOptions.Defaults(options.DataDirectory);
            infrastructure = await LocalInfrastructure.StartAsync(infraOptions, options.Log, cancellationToken);
            Endpoints = infrastructure.Endpoints;
            resources.Add(new ResourceInfo("postgres", "server", $"127.0.0.1:{infrastructure.Postgres.Port}", infrastructure.Postgres.Pid));
            resources.Add(new ResourceInfo("rabbitmq", "server", $"amqp://127.0.0.1:{infrastructure.RabbitMq.Ports.Amqp}", infrastructure.RabbitMq.Processes.First().Pid));
            resources.Add(new ResourceInfo("rabbitmq-management", "http", infrastructure.RabbitMq.ManagementUri.ToString(), null));
            resources.Add(new ResourceInfo("s3", infrastructure.S3.Kind, infrastructure.S3.Endpoint.ToString(), infrastructure.S3.Process?.Pid));
        }

        var ports = ServiceDefinition.Services.Concat(ServiceDefinition.StandIns)
            .ToDictionary(s => s.ResourceName, s => options.ForTests ? Network.FreePort() : s.DefaultPort);
        ports[ServiceDefinition.Gateway.ResourceName] = options.ForTests ? Network.FreePort() : options.GatewayPort;
        ports[ServiceDefinition.Web.ResourceName] = options.ForTests ? Network.FreePort() : ServiceDefinition.Web.DefaultPort;

        Log("starting the stand-ins for outside systems");
        await Task.WhenAll(ServiceDefinition.StandIns.Select(s => StartProjectAsync(s, ports, cancellationToken)));
        Log("starting the services");
        await Task.WhenAll(ServiceDefinition.Services.Select(s => StartProjectAsync(s, ports, cancellationToken)));
        // The web app before the gateway: it needs nothing to start, and the gateway's health includes it.
        Log("starting the web app");
        await StartProjectAsync(ServiceDefinition.Web, ports, cancellationToken);
        await StartProjectAsync(ServiceDefinition.Gateway, ports, cancellationToken);
        GatewayUri = new Uri($"http://localhost:{ports[ServiceDefinition.Gateway.ResourceName]}");
    }

    private async Task StartProjectAsync(ServiceDefinition service, IReadOnlyDictionary<string, int> ports, CancellationToken cancellationToken)
    {
        var assembly = service.AssemblyPath(options.RepoRoot);
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{service.ResourceName} is not built ({assembly} is missing): run `dotnet build Capture.sln -c {Paths.Configuration}` first.");
        }

        var port = ports[service.ResourceName];
        var environment = new Dictionary<string, string?>(ServiceEnvironment(service, port, ports));
        foreach (var (key, value) in options.ExtraEnvironment)
        {
            environment[key] = value;
        }

        var process = ManagedProcess.Start(service.ResourceName, "dotnet", [assembly], options.Log, Path.Combine(options.RepoRoot, service.ProjectDirectory), environment);
        lock (projects)
        {
            projects.Add((service, process, port));
        }

        _ = process.Exited.ContinueWith(
            t =>
            {
                if (!stopping)
                {
                    options.Log.Write("apphost", $"{service.ResourceName} exited unexpectedly with code {t.Result}", true);
                }
            },
            TaskScheduler.Default);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Network.WaitUntilAsync(
            service.ResourceName,
            async ct => (await http.GetAsync($"http://127.0.0.1:{port}/health", ct)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(120),
            process,
            cancellationToken);

        var url = service == ServiceDefinition.Gateway ? $"http://localhost:{port}" : $"http://127.0.0.1:{port}";
        lock (resources)
        {
            resources.Add(new ResourceInfo(service.ResourceName, "project", url, process.Pid));
        }

        Log($"{service.ResourceName} is healthy at {url}");
    }

    /// <summary>The environment a service gets: exactly the keys a .NET Aspire AppHost would set.</summary>
    public IReadOnlyDictionary<string, string?> ServiceEnvironment(ServiceDefinition service, int port, IReadOnlyDictionary<string, int> ports)
    {
        var env = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = options.Environment,
            ["DOTNET_ENVIRONMENT"] = options.Environment,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["OTEL_SERVICE_NAME"] = service.ResourceName,
            ["Auth__SigningKey"] = SigningKey,
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            // Everything shares one machine here: workstation GC, not a server GC heap and GC thread per core in each
            // of six processes, which made latency tails under load (a deployment with cores of its own keeps server GC).
            ["DOTNET_gcServer"] = "0",
            ["ConnectionStrings__messaging"] = Endpoints.MessagingIn(options.VirtualHost),
        };

        if (Endpoints.RabbitManagement is { } management)
        {
            // Lets each service report its _error queues on /health and /ops/outbox (docs/operations.md). A management
            // URI without credentials is one of our own servers (guest); an external one carries its own.
            env["Messaging__ManagementUri"] = string.IsNullOrEmpty(management.UserInfo)
                ? new UriBuilder(management) { UserName = RabbitMqServer.User, Password = RabbitMqServer.Password }.Uri.ToString()
                : management.ToString();
        }

        var otlp = System.Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (!string.IsNullOrEmpty(otlp))
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        }

        if (service.Database is not null)
        {
            env[$"ConnectionStrings__{service.Database}"] = Endpoints.Database(service.Database + options.DatabaseSuffix);
        }

        if (service.UsesObjectStorage)
        {
            env["ConnectionStrings__photos"] = Endpoints.Photos;
        }

        foreach (var reference in service.References ?? [])
        {
            env[$"services__{reference}__http__0"] = $"http://127.0.0.1:{ports[reference]}";
        }

        if (service == ServiceDefinition.Web && Endpoints.RabbitManagement is { } brokerManagement)
        {
            // The ops dashboard reads queue depths, consumers and _error queues from RabbitMQ's management API.
            env["RabbitMq__Management__Url"] = brokerManagement.ToString();
            env["RabbitMq__Management__VirtualHost"] = options.VirtualHost;
        }

        if (service == ServiceDefinition.Payment)
        {
            // The provider (here its simulator) sends payment notifies to the public entry, as WeChat Pay would.
            env["WeChatPay__NotifyUrl"] = $"http://127.0.0.1:{ports[ServiceDefinition.Gateway.ResourceName]}/api/payment/notify/wechatpay";
        }

        return env;
    }

    public async Task StopAsync()
    {
        stopping = true;
        var gateway = projects.Where(p => p.Definition == ServiceDefinition.Gateway).ToList();
        var services = projects.Except(gateway).ToList();
        await Task.WhenAll(gateway.Select(p => p.Process.StopAsync(ManagedProcess.SigTerm, TimeSpan.FromSeconds(15))));
        await Task.WhenAll(services.Select(p => p.Process.StopAsync(ManagedProcess.SigTerm, TimeSpan.FromSeconds(15))));
        if (infrastructure is not null)
        {
            await infrastructure.StopAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Log(string message) => options.Log.Write("apphost", message, false);

    private static async Task<string> LoadOrCreateSigningKeyAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, "dev-signing-key");
        if (File.Exists(path))
        {
            return (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }

        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(path, key, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return key;
    }

    private static string Redact(string connection) =>
        System.Text.RegularExpressions.Regex.Replace(connection, "(?i)(password|secretkey)=[^;]*|://([^:/@]+):[^@]*@", m =>
            m.Groups[2].Success ? $"://{m.Groups[2].Value}:***@" : m.Value.Split('=')[0] + "=***");
}
