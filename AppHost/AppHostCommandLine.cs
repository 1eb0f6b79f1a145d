using Capture.AppHost.Hosting;

namespace Capture.AppHost;

/// <summary>The AppHost's options.</summary>
public sealed record AppHostCommandLine
{
    public const string Usage = """
        usage: dotnet run --project AppHost [-- options]
          (no options)              start PostgreSQL, RabbitMQ, S3, the five services and the gateway on http://localhost:8080
          --data DIR                keep server data in DIR (default: .data in the checkout); a second run reuses it
          --gateway-port N          gateway port (default 8080)
          --external                use existing servers instead of starting them; give them as
                                    --postgres "Host=..;Port=..;Username=..;Password=.." --messaging amqp://user:pass@host:port
                                    --photos "Endpoint=http://host:port;AccessKey=..;SecretKey=.."
                                    (or the environment variables CAPTURE_POSTGRES, CAPTURE_MESSAGING, CAPTURE_PHOTOS)
          --infra-only              start only PostgreSQL, RabbitMQ and S3 and print their endpoints as shell exports
          --env-file FILE           with --infra-only: also write those exports to FILE once ready
          --throwaway               with --infra-only: free ports and no-fsync PostgreSQL (the test script uses this)
          --parent-pid PID          stop everything when process PID ends (tests start the servers this way)
          --remove-data             with --infra-only: delete the data folder after stopping
        """;

    public string DataDirectory { get; init; } = Path.Combine(Paths.RepoRoot, ".data");

    public int GatewayPort { get; init; } = 8080;

    public InfrastructureEndpoints? External { get; init; }

    public bool InfrastructureOnly { get; init; }

    public bool Throwaway { get; init; }

    public string? EnvironmentFile { get; init; }

    public int? ParentPid { get; init; }

    public bool RemoveData { get; init; }

    public string? Error { get; init; }

    public static AppHostCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new AppHostCommandLine();
        string? postgres = Environment.GetEnvironmentVariable(InfrastructureEndpoints.PostgresVariable);
        string? messaging = Environment.GetEnvironmentVariable(InfrastructureEndpoints.MessagingVariable);
        string? photos = Environment.GetEnvironmentVariable(InfrastructureEndpoints.PhotosVariable);
        var external = false;

        for (var i = 0; i < args.Count; i++)
        {
            string? Value()
            {
                if (i + 1 >= args.Count)
                {
                    return null;
                }

                i++;
                return args[i];
            }

            switch (args[i])
            {
                case "--data":
                    var data = Value();
                    if (data is null)
                    {
                        return result with { Error = "--data needs a folder." };
                    }

                    result = result with { DataDirectory = Path.GetFullPath(data) };
                    break;
                case "--gateway-port":
                    if (!int.TryParse(Value(), out var port) || port is < 1 or > 65535)
                    {
                        return result with { Error = "--gateway-port needs a port number between 1 and 65535." };
                    }

                    result = result with { GatewayPort = port };
                    break;
                case "--external":
                    external = true;
                    break;
                case "--postgres":
                    postgres = Value();
                    break;
                case "--messaging":
                    messaging = Value();
                    break;
                case "--photos":
                    photos = Value();
                    break;
                case "--infra-only":
                    result = result with { InfrastructureOnly = true };
                    break;
                case "--throwaway":
                    result = result with { Throwaway = true };
                    break;
                case "--env-file":
                    var file = Value();
                    if (file is null)
                    {
                        return result with { Error = "--env-file needs a file name." };
                    }

                    result = result with { EnvironmentFile = Path.GetFullPath(file) };
                    break;
                case "--parent-pid":
                    if (!int.TryParse(Value(), out var parent) || parent < 1)
                    {
                        return result with { Error = "--parent-pid needs a process id." };
                    }

                    result = result with { ParentPid = parent };
                    break;
                case "--remove-data":
                    result = result with { RemoveData = true };
                    break;
                case "-h" or "--help":
                    return result with { Error = "" };
                default:
                    return result with { Error = $"Unknown option '{args[i]}'." };
            }
        }

        if (!external)
        {
            return result;
        }

        if (string.IsNullOrWhiteSpace(postgres) || string.IsNullOrWhiteSpace(messaging) || string.IsNullOrWhiteSpace(photos))
        {
            return result with { Error = "--external needs all three servers: --postgres, --messaging and --photos (or CAPTURE_POSTGRES, CAPTURE_MESSAGING, CAPTURE_PHOTOS)." };
        }

        return result with { External = new InfrastructureEndpoints(postgres, messaging, photos) };
    }
}
