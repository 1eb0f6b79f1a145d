using Capture.ServiceDefaults.Tests.Plumbing;
using Capture.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.ServiceDefaults.Tests.Messaging;

public sealed class InboxTests
{
    [Fact]
    public async Task The_same_message_delivered_twice_changes_state_once()
    {
        await using var isolated = await Isolated.CreateAsync();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, new DeliveryLog());
        var ledgerId = await OpenLedgerAsync(host);
        var consumed = CountConsumes(host);

        var messageId = NewId.NextGuid();
        await host.Bus.Publish(new DepositMade(ledgerId, 10), c => c.MessageId = messageId);
        await Eventually.TrueAsync(() => consumed.Count >= 1, what: "the first delivery");
        await host.Bus.Publish(new DepositMade(ledgerId, 10), c => c.MessageId = messageId);
        await Eventually.TrueAsync(() => consumed.Count >= 2, what: "the redelivery");

        Assert.Equal(10, await BalanceAsync(host, ledgerId));
        Assert.Equal(1, await host.InDbAsync(db => db.InboxMessages.CountAsync(m => m.MessageId == messageId)));
    }

    [Fact]
    public async Task Concurrent_duplicates_change_state_once_and_distinct_messages_all_count()
    {
        await using var isolated = await Isolated.CreateAsync();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, new DeliveryLog());
        var ledgerId = await OpenLedgerAsync(host);
        var consumed = CountConsumes(host);

        var duplicated = NewId.NextGuid();
        var sends = Enumerable.Range(0, 10).Select(_ => host.Bus.Publish(new DepositMade(ledgerId, 100), c => c.MessageId = duplicated))
            .Concat(Enumerable.Range(0, 5).Select(_ => host.Bus.Publish(new DepositMade(ledgerId, 1))));
        await Task.WhenAll(sends);

        await Eventually.TrueAsync(() => consumed.Count >= 15, what: "all fifteen deliveries");
        Assert.Equal(105, await BalanceAsync(host, ledgerId));
    }

    [Fact]
    public async Task A_handler_that_fails_after_changing_state_saves_nothing_and_the_retry_applies_it_once()
    {
        await using var isolated = await Isolated.CreateAsync();
        var faults = new DepositFaults();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, new DeliveryLog(), faults);
        var ledgerId = await OpenLedgerAsync(host);

        var messageId = NewId.NextGuid();
        faults.FailTimes(messageId, 2);
        await host.Bus.Publish(new DepositMade(ledgerId, 7), c => c.MessageId = messageId);

        await Eventually.TrueAsync(async () => await BalanceAsync(host, ledgerId) == 7, what: "the retried deposit");
        await Task.Delay(500);
        Assert.Equal(7, await BalanceAsync(host, ledgerId));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_ends_in_the_error_queue_and_changes_nothing()
    {
        await using var isolated = await Isolated.CreateAsync();
        var faults = new DepositFaults();
        var quickRetries = new Dictionary<string, string?>
        {
            ["Messaging:RetryLimit"] = "2",
            ["Messaging:MinInterval"] = "00:00:00.050",
            ["Messaging:MaxInterval"] = "00:00:00.200",
            ["Messaging:IntervalDelta"] = "00:00:00.050",
        };
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, new DeliveryLog(), faults, quickRetries);
        var ledgerId = await OpenLedgerAsync(host);

        var messageId = NewId.NextGuid();
        faults.FailTimes(messageId, int.MaxValue);
        await host.Bus.Publish(new DepositMade(ledgerId, 50), c => c.MessageId = messageId);

        using var admin = new RabbitMqAdmin(isolated.Endpoints.RabbitManagement!);
        var errorQueue = await Eventually.GetAsync(
            async () => (await admin.QueuesAsync(isolated.VirtualHost)).SingleOrDefault(q => q.Name == "ledger-deposit_error"),
            q => q is { Messages: 1 },
            TimeSpan.FromSeconds(60),
            "the message in ledger-deposit_error");
        Assert.Equal(1, errorQueue!.Messages);
        Assert.Equal(0, await BalanceAsync(host, ledgerId));
        Assert.Equal(0, await host.InDbAsync(db => db.InboxMessages.CountAsync(m => m.MessageId == messageId)));
    }

    private static async Task<Guid> OpenLedgerAsync(LedgerHost host)
    {
        var id = Guid.NewGuid();
        await host.InDbAsync(async db =>
        {
            db.Ledgers.Add(new Ledger { Id = id, Name = "李四" });
            await db.SaveChangesAsync();
        });
        return id;
    }

    private static Task<long> BalanceAsync(LedgerHost host, Guid id) =>
        host.InDbAsync(db => db.Ledgers.AsNoTracking().Where(l => l.Id == id).Select(l => l.Balance).SingleAsync());

    private static ConsumeCounter CountConsumes(LedgerHost host)
    {
        var counter = new ConsumeCounter();
        host.Bus.ConnectConsumeObserver(counter);
        return counter;
    }

    /// <summary>Counts deposits that finished consuming (handled or skipped as duplicates).</summary>
    private sealed class ConsumeCounter : IConsumeObserver
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is DepositMade)
            {
                Interlocked.Increment(ref count);
            }

            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
