using System.Runtime.InteropServices;
using Capture.AppHost;
using Capture.AppHost.Hosting;

// dotnet run --project AppHost [-- options]; see AppHostCommandLine for the options.
var commandLine = AppHostCommandLine.Parse(args);
if (commandLine.Error is not null)
{
    Console.Error.WriteLine(commandLine.Error);
    Console.Error.WriteLine(AppHostCommandLine.Usage);
    return 2;
}

using var shutdown = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    shutdown.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
var log = new ConsoleLogSink();
if (commandLine.ParentPid is { } parentPid)
{
    // A watchdog for callers that may die without stopping us (a test process killed by its runner, say).
    _ = Task.Run(async () =>
    {
        while (!shutdown.IsCancellationRequested && ManagedProcess.IsAlive(parentPid))
        {
            await Task.Delay(500);
        }

        await shutdown.CancelAsync();
    });
}

if (commandLine.InfrastructureOnly)
{
    var options = commandLine.Throwaway
        ? LocalInfrastructureOptions.WithFreePorts(commandLine.DataDirectory)
        : LocalInfrastructureOptions.Defaults(commandLine.DataDirectory);
    await using var infrastructure = await LocalInfrastructure.StartAsync(options, log, shutdown.Token);
    var exports = infrastructure.Endpoints.ToShellExports();
    if (commandLine.EnvironmentFile is not null)
    {
        await File.WriteAllTextAsync(commandLine.EnvironmentFile + ".tmp", exports);
        File.Move(commandLine.EnvironmentFile + ".tmp", commandLine.EnvironmentFile, overwrite: true);
    }

    log.Write("apphost", "infrastructure ready; Ctrl+C stops it", false);
    Console.Out.Write(exports);
    await WaitForShutdownAsync(shutdown.Token);
    log.Write("apphost", "stopping infrastructure", false);
    await infrastructure.StopAsync();
    if (commandLine.RemoveData)
    {
        Directory.Delete(commandLine.DataDirectory, recursive: true);
    }

    return 0;
}

CaptureSystem system;
try
{
    system = await CaptureSystem.StartAsync(
        new CaptureSystemOptions
        {
            DataDirectory = commandLine.DataDirectory,
            ExternalInfrastructure = commandLine.External,
            GatewayPort = commandLine.GatewayPort,
            Log = log,
        },
        shutdown.Token);
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or OperationCanceledException)
{
    log.Write("apphost", ex.Message, true);
    return 1;
}

await using (system)
{
    ResourceTable.Print(system, Console.Out);
    await WaitForShutdownAsync(shutdown.Token);
    log.Write("apphost", "stopping: gateway, services, then infrastructure", false);
}

log.Write("apphost", "stopped", false);
return 0;

static async Task WaitForShutdownAsync(CancellationToken token)
{
    try
    {
        await Task.Delay(Timeout.Infinite, token);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C or SIGTERM: the caller stops what it started.
    }
}
