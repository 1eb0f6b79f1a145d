using System.Net;
using System.Net.Sockets;

namespace Capture.AppHost.Hosting;

public static class Network
{
    /// <summary>A port nobody listens on right now on 127.0.0.1 (the kernel picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it answers true, the process dies, or the timeout passes.</summary>
    public static async Task WaitUntilAsync(string what, Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, ManagedProcess? process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"{what} exited with code {process.Exited.Result} before it was ready. Its last lines:\n{process.Tail}");
            }

            try
            {
                if (await probe(cancellationToken))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not up yet
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} was not ready within {timeout.TotalSeconds:0} s.{(process is null ? "" : " Its last lines:\n" + process.Tail)}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
