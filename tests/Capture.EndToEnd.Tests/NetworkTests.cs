using System.Net;
using System.Net.Sockets;
using Capture.AppHost.Hosting;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// The ports test servers are started on: never from the kernel's ephemeral range, where an outgoing connection of a
/// test project running beside can take the port before the server binds it (CI saw PostgreSQL fail so).
/// </summary>
public sealed class NetworkTests
{
    [Fact]
    public void A_free_port_is_below_the_ephemeral_range_and_can_be_listened_on()
    {
        var (low, _) = Network.EphemeralRange();
        var ports = Enumerable.Range(0, 20).Select(_ => Network.FreePort()).ToList();

        Assert.All(ports, p => Assert.InRange(p, 20000, low - 1));
        Assert.True(ports.Distinct().Count() > 10, "the choice is random, so test projects side by side rarely meet");
        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
    }

    [Fact]
    public void A_port_someone_listens_on_is_never_handed_out()
    {
        var (low, _) = Network.EphemeralRange();
        var taken = new List<TcpListener>();
        try
        {
            // Hold a band of the range; whatever FreePort returns must still be bindable (it checks), never one of these.
            for (var port = 20000; port < 20050; port++)
            {
                var l = new TcpListener(IPAddress.Loopback, port);
                try { l.Start(); taken.Add(l); } catch (SocketException) { l.Dispose(); }
            }

            var held = taken.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToHashSet();
            for (var i = 0; i < 200; i++)
            {
                var port = Network.FreePort();
                Assert.DoesNotContain(port, held);
                Assert.InRange(port, 20000, low - 1);
            }
        }
        finally
        {
            taken.ForEach(l => l.Dispose());
        }
    }
}
