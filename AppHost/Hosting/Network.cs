using System.Net;
using System.Net.Sockets;

namespace Capture.AppHost.Hosting;

public static class Network
{
    private const int LowestChosenPort = 20000;

    /// <summary>
    /// A port nobody listens on right now on 127.0.0.1, chosen at random below the kernel's ephemeral range: a port the
    /// kernel hands out (port 0) is also what it gives the next outgoing connection as its source port, so a server
    /// started on it a moment later can find it taken ("Address already in use", seen in CI with test projects running
    /// side by side). Outside that range only another listener can take it, and a random choice makes that unlikely.
    /// </summary>
    public static int FreePort()
    {
        var (ephemeralLow, _) = EphemeralRange();
        if (ephemeralLow - LowestChosenPort >= 1000)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var port = Random.Shared.Next(LowestChosenPort, ephemeralLow);
                if (CanBind(port))
                {
                    return port;
                }
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The kernel's range for source ports of outgoing connections (Linux's ip_local_port_range; IANA's elsewhere).</summary>
    public static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out var low) && int.TryParse(parts[1], out var high))
            {
                return (low, high);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // not Linux
        }

        return (49152, 65535);
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
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
