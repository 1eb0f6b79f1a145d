using Capture.AppHost.Hosting;

namespace Capture.Testing;

/// <summary>
/// The PostgreSQL, RabbitMQ and S3 servers the tests talk to. The test script starts one set for the whole run and
/// exports their endpoints (CAPTURE_POSTGRES, CAPTURE_MESSAGING, CAPTURE_PHOTOS, CAPTURE_RABBITMQ_MANAGEMENT); a test
/// run without them (one test from an IDE, say) starts its own set on free ports, once per test process, and stops
/// it when the process exits.
/// </summary>
public static class TestInfrastructure
{
    private static readonly Lazy<Task<InfrastructureEndpoints>> Shared = new(StartAsync);
    private static LocalInfrastructure? owned;

    public static Task<InfrastructureEndpoints> GetAsync() => Shared.Value;

    /// <summary>A fresh folder under the checkout's git-ignored .test-data, for one test's servers or files.</summary>
    public static string NewDataDirectory(string purpose)
    {
        var dir = Path.Combine(Paths.RepoRoot, ".test-data", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<InfrastructureEndpoints> StartAsync()
    {
        if (InfrastructureEndpoints.FromEnvironment() is { } external)
        {
            return external;
        }

        var directory = NewDataDirectory("infrastructure");
        owned = await LocalInfrastructure.StartAsync(LocalInfrastructureOptions.WithFreePorts(directory), new MemoryLogSink());
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            owned.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // best effort: the folder is git-ignored
            }
        };
        return owned.Endpoints;
    }
}
