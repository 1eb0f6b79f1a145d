using System.Diagnostics;
using Capture.AppHost.Hosting;

namespace Capture.Testing;

/// <summary>
/// The PostgreSQL, RabbitMQ and S3 servers the tests talk to. The test script starts one set for the whole run and
/// exports their endpoints (CAPTURE_POSTGRES, CAPTURE_MESSAGING, CAPTURE_PHOTOS, CAPTURE_RABBITMQ_MANAGEMENT); a test
/// run without them (one test from an IDE, say) starts its own set on free ports, once per test process, through the
/// AppHost, which stops it when the process exits.
/// </summary>
public static class TestInfrastructure
{
    private static readonly Lazy<Task<InfrastructureEndpoints>> Shared = new(StartAsync);

    public static Task<InfrastructureEndpoints> GetAsync() => Shared.Value;

    /// <summary>A fresh folder under the checkout's git-ignored .test-data, for one test's servers or files.</summary>
    public static string NewDataDirectory(string purpose)
    {
        // Short names: PostgreSQL's socket path must stay under 107 bytes even in a deep checkout.
        var dir = Path.Combine(Paths.RepoRoot, ".test-data", $"{purpose}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<InfrastructureEndpoints> StartAsync()
    {
        if (InfrastructureEndpoints.FromEnvironment() is { } external)
        {
            return external;
        }

        // Our own servers, run by the AppHost in a session of its own that watches this process: when the test
        // runner ends this process, however abruptly, the AppHost stops the servers and deletes their data.
        var directory = NewDataDirectory("infrastructure");
        var endpointsFile = Path.Combine(directory, "endpoints.env");
        var appHost = Path.Combine(AppContext.BaseDirectory, "Capture.AppHost.dll");
        var command = $"exec dotnet '{appHost}' --infra-only --throwaway --data '{directory}' --env-file '{endpointsFile}' "
            + $"--parent-pid {Environment.ProcessId} --remove-data > '{directory}/apphost.log' 2>&1";
        using (var launcher = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", command]) { UseShellExecute = false }))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!File.Exists(endpointsFile))
            {
                if (launcher!.HasExited || DateTime.UtcNow > deadline)
                {
                    var output = File.Exists(Path.Combine(directory, "apphost.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "apphost.log")) : "";
                    throw new InvalidOperationException($"The test servers did not start. AppHost output:\n{output}");
                }

                await Task.Delay(100);
            }
        }

        return ParseExports(await File.ReadAllLinesAsync(endpointsFile));
    }

    private static InfrastructureEndpoints ParseExports(IEnumerable<string> lines)
    {
        var values = lines
            .Select(l => l.StartsWith("export ", StringComparison.Ordinal) ? l[7..] : l)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('\''));
        return new InfrastructureEndpoints(
            values[InfrastructureEndpoints.PostgresVariable],
            values[InfrastructureEndpoints.MessagingVariable],
            values[InfrastructureEndpoints.PhotosVariable],
            new Uri(values[InfrastructureEndpoints.RabbitManagementVariable]));
    }
}
