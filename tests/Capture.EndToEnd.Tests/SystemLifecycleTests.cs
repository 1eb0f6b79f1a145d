using System.Net;
using Capture.AppHost.Hosting;
using Capture.Testing;

namespace Capture.EndToEnd.Tests;

/// <summary>The AppHost's promise: everything it starts, it stops, leaving no process and no listening port.</summary>
[Collection(nameof(OwnSystems))]
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
            // postgres, s3, rabbitmq + its epmd, five services, the payment provider simulator, the web app and the gateway
            Assert.Equal(12, pids.Count);
            Assert.All(pids, pid => Assert.True(ManagedProcess.IsAlive(pid), $"process {pid} should be running"));
            Assert.All(ports, port => Assert.True(Network.IsListening(port), $"port {port} should be listening"));

            using var client = new HttpClient { BaseAddress = system.GatewayUri };
            using var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            // A process that dies is reported by name, and the gateway's health says which service is gone.
            var payment = system.Resources.Single(r => r.Name == "payment").Pid!.Value;
            Assert.Equal(0, Kill(payment, 9));
            await Eventually.TrueAsync(() => log.Lines.Any(l => l.Contains("payment exited unexpectedly", StringComparison.Ordinal)), what: "the exit report");
            var degraded = await client.GetStringAsync("/health");
            Assert.Contains("\"Degraded\"", degraded, StringComparison.Ordinal);
        }
        finally
        {
            await system.StopAsync();
        }

        Assert.All(pids, pid => Assert.False(ManagedProcess.IsAlive(pid), $"process {pid} is still running after stop"));
        Assert.All(pids, pid => Assert.False(ManagedProcess.GroupAlive(pid), $"a process of group {pid} is still running after stop"));
        Assert.All(ports, port => Assert.False(Network.IsListening(port), $"port {port} is still listening after stop"));
        Assert.Single(log.Lines, line => line.Contains("exited unexpectedly", StringComparison.Ordinal));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_second_start_on_the_same_data_folder_finds_the_data_of_the_first()
    {
        var directory = TestInfrastructure.NewDataDirectory("reuse");
        var port = Network.FreePort();
        var sink = new MemoryLogSink();
        var first = new PostgresServer(directory, port, throwaway: false, sink);
        await first.StartAsync(CancellationToken.None);
        await ExecuteAsync(first, "CREATE TABLE kept (name text); INSERT INTO kept VALUES ('张三')");
        await first.StopAsync();
        Assert.False(Network.IsListening(port));

        var second = new PostgresServer(directory, port, throwaway: false, sink);
        await second.StartAsync(CancellationToken.None);
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(second.ConnectionString("postgres") + ";Pooling=false");
            await connection.OpenAsync();
            await using var read = new Npgsql.NpgsqlCommand("SELECT name FROM kept", connection);
            Assert.Equal("张三", await read.ExecuteScalarAsync());
        }
        finally
        {
            await second.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task ExecuteAsync(PostgresServer server, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
