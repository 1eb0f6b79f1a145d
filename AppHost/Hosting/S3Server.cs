namespace Capture.AppHost.Hosting;

/// <summary>
/// S3-compatible object storage on 127.0.0.1: a <c>minio</c> binary when one is on PATH (what production runs),
/// otherwise s3rver through our launcher (deploy/local/s3), which patches the three places where s3rver and the
/// Minio .NET client disagree. s3rver checks no signatures, so a credential bug shows only against MinIO.
/// </summary>
public sealed class S3Server(string dataDirectory, int port, string launcherDirectory, ILogSink log) : IAsyncDisposable
{
    public const string ResourceName = "s3";
    private ManagedProcess? process;

    public int Port { get; } = port;

    public string AccessKey { get; private set; } = "S3RVER";

    public string SecretKey { get; private set; } = "S3RVER";

    public string Kind { get; private set; } = "s3rver";

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public string ConnectionString => $"Endpoint={Endpoint.ToString().TrimEnd('/')};AccessKey={AccessKey};SecretKey={SecretKey}";

    public ManagedProcess? Process => process;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var minio = FindOnPath("minio");
        if (minio is not null)
        {
            Kind = "minio";
            AccessKey = "capture";
            SecretKey = "capture-local-secret";
            process = ManagedProcess.Start(ResourceName, minio,
                ["server", dataDirectory, "--address", $"127.0.0.1:{Port}", "--console-address", $"127.0.0.1:{Network.FreePort()}", "--quiet"],
                log, dataDirectory,
                new Dictionary<string, string?> { ["MINIO_ROOT_USER"] = AccessKey, ["MINIO_ROOT_PASSWORD"] = SecretKey });
        }
        else
        {
            var launcher = Path.Combine(launcherDirectory, "s3rver-launcher.mjs");
            if (!Directory.Exists(Path.Combine(launcherDirectory, "node_modules", "s3rver")))
            {
                throw new InvalidOperationException($"s3rver is not installed: run `npm ci --prefix {launcherDirectory}` (the run and test scripts do).");
            }

            process = ManagedProcess.Start(ResourceName, "node",
                [launcher, "--dir", dataDirectory, "--address", "127.0.0.1", "--port", Port.ToString()],
                log, launcherDirectory);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        await Network.WaitUntilAsync(
            ResourceName,
            async ct =>
            {
                using var response = await http.GetAsync(Kind == "minio" ? new Uri(Endpoint, "minio/health/live") : Endpoint, ct);
                return (int)response.StatusCode < 500;
            },
            TimeSpan.FromSeconds(30),
            process,
            cancellationToken);
    }

    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.StopAsync(ManagedProcess.SigTerm, TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
