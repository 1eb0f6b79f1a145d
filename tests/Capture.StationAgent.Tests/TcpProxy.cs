using System.Net;
using System.Net.Sockets;

namespace Capture.StationAgent.Tests;

/// <summary>
/// A TCP proxy on 127.0.0.1 between an agent and the gateway: the test cuts it (the venue's network goes away: every
/// open connection is dropped and new ones are refused), restores it on the same port, or slows what the agent sends.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private readonly Lock gate = new();
    private TcpListener? listener;
    private CancellationTokenSource cut = new();

    public TcpProxy(Uri target)
    {
        this.target = new IPEndPoint(IPAddress.Loopback, target.Port);
        listener = Listen(0);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync(listener, cut.Token);
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Bytes per second from the agent to the gateway; null = as fast as it goes.</summary>
    public int? UpstreamBytesPerSecond { get; set; }

    public long UpstreamBytes => Interlocked.Read(ref upstream);

    private long upstream;

    public void Cut()
    {
        lock (gate)
        {
            cut.Cancel();
            listener?.Stop();
            listener = null;
            foreach (var client in open)
            {
                try
                {
                    client.Client?.LingerState = new LingerOption(true, 0); // RST, as a pulled cable looks to the next write
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }

                client.Dispose();
            }

            open.Clear();
        }
    }

    public void Restore()
    {
        lock (gate)
        {
            cut = new CancellationTokenSource();
            listener = Listen(Port);
            _ = AcceptAsync(listener, cut.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private static TcpListener Listen(int port)
    {
        var l = new TcpListener(IPAddress.Loopback, port);
        l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        l.Start();
        return l;
    }

    private async Task AcceptAsync(TcpListener l, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await l.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(target, ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            lock (gate)
            {
                open.Add(client);
                open.Add(server);
            }

            _ = PumpAsync(client, server, upstreamDirection: true, ct);
            _ = PumpAsync(server, client, upstreamDirection: false, ct);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool upstreamDirection, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var sink = to.GetStream();
            while (true)
            {
                var limit = upstreamDirection && UpstreamBytesPerSecond is { } rate ? Math.Min(buffer.Length, Math.Max(1024, rate / 10)) : buffer.Length;
                var read = await source.ReadAsync(buffer.AsMemory(0, limit), ct);
                if (read == 0)
                {
                    break;
                }

                await sink.WriteAsync(buffer.AsMemory(0, read), ct);
                if (upstreamDirection)
                {
                    Interlocked.Add(ref upstream, read);
                    if (UpstreamBytesPerSecond is { } bps)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)read / bps), ct);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
