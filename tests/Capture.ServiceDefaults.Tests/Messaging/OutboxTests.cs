using Capture.ServiceDefaults.Tests.Plumbing;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.ServiceDefaults.Tests.Messaging;

public sealed class OutboxTests
{
    [Fact]
    public async Task An_event_saved_with_its_state_change_is_published_once_with_the_row_id_as_message_id()
    {
        await using var isolated = await Isolated.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, log);

        var ledgerId = Guid.NewGuid();
        var row = await host.InDbAsync(async db =>
        {
            db.Ledgers.Add(new Ledger { Id = ledgerId, Name = "张三" });
            var outbox = db.AddIntegrationEvent(new LedgerOpened(ledgerId, "张三"));
            await db.SaveChangesAsync();
            return outbox;
        });

        await Eventually.TrueAsync(() => log.Counts.ContainsKey(row.Id), what: "LedgerOpened to arrive");
        var received = Assert.Single(log.Of<LedgerOpened>());
        Assert.Equal(new LedgerOpened(ledgerId, "张三"), received);

        var stored = Assert.Single(await host.OutboxAsync());
        Assert.NotNull(stored.PublishedAt);
        Assert.Equal(0, stored.Attempts);
    }

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        await using var isolated = await Isolated.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, log);

        var rolledBack = Guid.NewGuid();
        await host.InDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Ledgers.Add(new Ledger { Id = rolledBack, Name = "rolled back" });
            db.AddIntegrationEvent(new LedgerOpened(rolledBack, "rolled back"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        });

        // The relay publishes in write order, so once a later event has arrived an earlier one would have too.
        var marker = Guid.NewGuid();
        await host.InDbAsync(async db =>
        {
            db.Ledgers.Add(new Ledger { Id = marker, Name = "marker" });
            db.AddIntegrationEvent(new LedgerOpened(marker, "marker"));
            await db.SaveChangesAsync();
        });

        await Eventually.TrueAsync(() => log.Of<LedgerOpened>().Any(m => m.LedgerId == marker), what: "the marker event");
        Assert.DoesNotContain(log.Of<LedgerOpened>(), m => m.LedgerId == rolledBack);
        Assert.Single(await host.OutboxAsync());
        Assert.False(await host.InDbAsync(db => db.Ledgers.AnyAsync(l => l.Id == rolledBack)));
    }

    [Fact]
    public async Task Two_relays_running_at_once_publish_each_row_exactly_once()
    {
        await using var isolated = await Isolated.CreateAsync();
        var log = new DeliveryLog();
        var smallBatches = new Dictionary<string, string?> { ["Outbox:BatchSize"] = "7", ["Outbox:PollInterval"] = "00:00:00.050" };
        await using var first = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, log, settings: smallBatches);
        await using var second = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, log, settings: smallBatches);

        const int count = 400;
        var writers = Enumerable.Range(0, 8).Select(w => (w % 2 == 0 ? first : second).InDbAsync(async db =>
        {
            for (var i = 0; i < count / 8; i++)
            {
                var id = Guid.NewGuid();
                db.Ledgers.Add(new Ledger { Id = id, Name = $"ledger {w}-{i}" });
                db.AddIntegrationEvent(new LedgerOpened(id, $"ledger {w}-{i}"));
                await db.SaveChangesAsync();
            }
        }));
        await Task.WhenAll(writers);

        await Eventually.TrueAsync(() => log.Counts.Count >= count, TimeSpan.FromSeconds(60), "all 400 events");
        var rows = await first.OutboxAsync();
        Assert.Equal(count, rows.Count);
        Assert.All(rows, r => Assert.NotNull(r.PublishedAt));
        Assert.Equal(rows.Select(r => r.Id).Order(), log.Counts.Keys.Order());

        // Give a would-be duplicate time to arrive before asserting there is none.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(log.Counts, pair => Assert.Equal(1, pair.Value));
    }

    [Fact]
    public async Task An_urgent_event_leaves_before_a_backlog_of_bulk_events_written_before_it()
    {
        await using var isolated = await Isolated.CreateAsync();
        var log = new DeliveryLog();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, log);

        // One commit with 2,000 bulk events (a roster import) and then one urgent event (a revocation): by sequence the
        // urgent one is last; the relay still takes it in its first batch.
        const int bulk = 2000;
        var urgent = Guid.NewGuid();
        await host.InDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < bulk; i++)
            {
                db.AddIntegrationEvent(new LedgerOpened(Guid.NewGuid(), $"bulk {i}"));
            }

            await db.SaveChangesAsync();
            db.AddUrgentIntegrationEvent(new LedgerOpened(urgent, "urgent"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });

        await Eventually.TrueAsync(() => log.Counts.Count >= bulk + 1, TimeSpan.FromSeconds(120), "every event");
        var order = log.Of<LedgerOpened>().Select(m => m.LedgerId).ToList();
        var position = order.IndexOf(urgent);
        Assert.InRange(position, 0, 199);
        var rows = await host.OutboxAsync();
        Assert.True(rows.Single(r => r.Urgent).Sequence > rows.Where(r => !r.Urgent).Max(r => r.Sequence));
    }
}
