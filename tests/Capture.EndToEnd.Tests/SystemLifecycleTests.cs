using System.Net;
using Capture.AppHost.Hosting;
using Capture.Testing;

namespace Capture.EndToEnd.Tests;

/// <summary>The AppHost's promise: everything it starts, it stops, leaving no process and no listening port.</summary>
public sealed class SystemLifecycleTests
{
    [Fact]
    public async Task A_system_with_its_own_servers_starts_healthy_and_stops_leaving_nothing_behind()
    {
        var directory = TestInfrastructure.NewDataDirectory("lifecycle");
        var log = new MemoryLogSink();
        var system = await CaptureSystem.StartAsync(new CaptureSystemOptions
        {
            ForTests = true,
            DataDirectory = directory,
            SigningKey = TestTokens.SigningKey,
            Log = log,
        });

        var pids = system.ProcessIds;
        var ports = system.Ports;
        try
        {
            // postgres, s3, rabbitmq + its epmd, five services and the gateway
            Assert.Equal(10, pids.Count);
            Assert.All(pids, pid => Assert.True(ManagedProcess.IsAlive(pid), $"process {pid} should be running"));
            Assert.All(ports, port => Assert.True(Network.IsListening(port), $"port {port} should be listening"));

            using var client = new HttpClient { BaseAddress = system.GatewayUri };
            using var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            await system.StopAsync();
        }

        Assert.All(pids, pid => Assert.False(ManagedProcess.IsAlive(pid), $"process {pid} is still running after stop"));
        Assert.All(pids, pid => Assert.False(ManagedProcess.GroupAlive(pid), $"a process of group {pid} is still running after stop"));
        Assert.All(ports, port => Assert.False(Network.IsListening(port), $"port {port} is still listening after stop"));
        Assert.DoesNotContain(log.Lines, line => line.Contains("exited unexpectedly", StringComparison.Ordinal));
        Directory.Delete(directory, recursive: true);
    }
}
