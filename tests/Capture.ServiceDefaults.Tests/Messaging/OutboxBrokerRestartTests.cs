using Capture.AppHost.Hosting;
using Capture.ServiceDefaults.Tests.Plumbing;
using Capture.Testing;

namespace Capture.ServiceDefaults.Tests.Messaging;

/// <summary>Runs a RabbitMQ node of its own, because it stops and starts it: the shared broker must stay up for everyone else.</summary>
public sealed class OutboxBrokerRestartTests
{
    [Fact]
    public async Task An_event_saved_while_RabbitMQ_is_down_is_delivered_after_it_comes_back()
    {
        var endpoints = await TestInfrastructure.GetAsync();
        var directory = TestInfrastructure.NewDataDirectory("rabbit-restart");
        var ports = RabbitMqPorts.Free();
        var sink = new MemoryLogSink();
        var rabbit = new RabbitMqServer(directory, $"restart-{ports.Amqp}@localhost", ports, sink);
        await rabbit.StartAsync(CancellationToken.None);
        try
        {
            var log = new DeliveryLog();
            await using var host = await LedgerHost.StartAsync(endpoints.Database($"ledgerdb_{Guid.NewGuid():N}"), rabbit.AmqpUri(), log);

            await rabbit.StopAsync();
            var ledgerId = Guid.NewGuid();
            var row = await host.InDbAsync(async db =>
            {
                db.Ledgers.Add(new Ledger { Id = ledgerId, Name = "saved while the broker was down" });
                var outbox = db.AddIntegrationEvent(new LedgerOpened(ledgerId, "saved while the broker was down"));
                await db.SaveChangesAsync();
                return outbox;
            });

            // The relay tried, failed, and kept the row.
            var pending = await Eventually.GetAsync(
                async () => (await host.OutboxAsync()).Single(),
                r => r.Attempts > 0,
                TimeSpan.FromSeconds(30),
                "a failed publish attempt");
            Assert.Null(pending.PublishedAt);
            Assert.NotNull(pending.LastError);

            rabbit = new RabbitMqServer(directory, $"restart-{ports.Amqp}@localhost", ports, sink);
            await rabbit.StartAsync(CancellationToken.None);

            await Eventually.TrueAsync(() => log.Counts.ContainsKey(row.Id), TimeSpan.FromSeconds(90), "the event after the broker restarted");
            Assert.Equal(ledgerId, Assert.Single(log.Of<LedgerOpened>()).LedgerId);
            Assert.NotNull((await host.OutboxAsync()).Single().PublishedAt);
        }
        finally
        {
            await rabbit.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
