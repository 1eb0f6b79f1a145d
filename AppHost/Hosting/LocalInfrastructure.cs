namespace Capture.AppHost.Hosting;

public sealed record LocalInfrastructureOptions
{
    public required string DataDirectory { get; init; }

    /// <summary>Faster, unsafe PostgreSQL settings (no fsync): for test clusters only, never for the run command's data.</summary>
    public bool Throwaway { get; init; }

    public int PostgresPort { get; init; }

    public RabbitMqPorts? RabbitMqPorts { get; init; }

    public int S3Port { get; init; }

    public string RabbitMqNodeName { get; init; } = "capture@localhost";

    /// <summary>Ports for a local run that a person can remember; tests use <see cref="WithFreePorts"/>.</summary>
    public static LocalInfrastructureOptions Defaults(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        PostgresPort = 15432,
        RabbitMqPorts = new RabbitMqPorts(Amqp: 15682, Management: 15683, Distribution: 15684, Epmd: 15685),
        S3Port = 15690,
    };

    public static LocalInfrastructureOptions WithFreePorts(string dataDirectory, bool throwaway = true)
    {
        var ports = RabbitMqPorts.Free();
        return new LocalInfrastructureOptions
        {
            DataDirectory = dataDirectory,
            Throwaway = throwaway,
            PostgresPort = Network.FreePort(),
            RabbitMqPorts = ports,
            S3Port = Network.FreePort(),
            RabbitMqNodeName = $"capture-{ports.Amqp}@localhost",
        };
    }
}

/// <summary>PostgreSQL, RabbitMQ and the S3 server, started side by side and stopped together.</summary>
public sealed class LocalInfrastructure : IAsyncDisposable
{
    private LocalInfrastructure(PostgresServer postgres, RabbitMqServer rabbitMq, S3Server s3)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
        S3 = s3;
    }

    public PostgresServer Postgres { get; }

    public RabbitMqServer RabbitMq { get; }

    public S3Server S3 { get; }

    public InfrastructureEndpoints Endpoints => new(Postgres.ServerConnectionString, RabbitMq.AmqpUri(), S3.ConnectionString, RabbitMq.ManagementUri);

    public IEnumerable<ManagedProcess> Processes =>
        new[] { Postgres.Process, S3.Process }.OfType<ManagedProcess>().Concat(RabbitMq.Processes);

    public static async Task<LocalInfrastructure> StartAsync(LocalInfrastructureOptions options, ILogSink log, CancellationToken cancellationToken = default)
    {
        var postgres = new PostgresServer(Path.Combine(options.DataDirectory, "postgres"), options.PostgresPort, options.Throwaway, log);
        var rabbit = new RabbitMqServer(Path.Combine(options.DataDirectory, "rabbitmq"), options.RabbitMqNodeName, options.RabbitMqPorts ?? RabbitMqPorts.Free(), log);
        var s3 = new S3Server(Path.Combine(options.DataDirectory, "s3"), options.S3Port, Paths.S3LauncherDirectory, log);
        var infrastructure = new LocalInfrastructure(postgres, rabbit, s3);
        try
        {
            await Task.WhenAll(postgres.StartAsync(cancellationToken), rabbit.StartAsync(cancellationToken), s3.StartAsync(cancellationToken));
            return infrastructure;
        }
        catch
        {
            await infrastructure.StopAsync();
            throw;
        }
    }

    public async Task StopAsync() => await Task.WhenAll(S3.StopAsync(), RabbitMq.StopAsync(), Postgres.StopAsync());

    public async ValueTask DisposeAsync() => await StopAsync();
}
