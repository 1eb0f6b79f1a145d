using System.Collections.Concurrent;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Capture.ServiceDefaults.Tests.Plumbing;

/// <summary>Every delivery a recording consumer saw, by message id: a count above one is a duplicate publish.</summary>
public sealed class DeliveryLog
{
    public ConcurrentDictionary<Guid, int> Counts { get; } = new();

    public ConcurrentQueue<object> Messages { get; } = new();

    public void Record(Guid messageId, object message)
    {
        Counts.AddOrUpdate(messageId, 1, (_, n) => n + 1);
        Messages.Enqueue(message);
    }

    public IEnumerable<T> Of<T>() => Messages.OfType<T>();
}

/// <summary>Not idempotent on purpose: it records every delivery, so a test can see whether the outbox published a row twice.</summary>
public sealed class LedgerOpenedRecorder(DeliveryLog log) : IConsumer<LedgerOpened>
{
    public Task Consume(ConsumeContext<LedgerOpened> context)
    {
        log.Record(context.MessageId!.Value, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>Adds a deposit to the ledger's balance, once per message id, however often the message arrives.</summary>
public sealed class DepositConsumer(LedgerDbContext db, ILogger<DepositConsumer> logger, DepositFaults faults)
    : IdempotentConsumer<DepositMade, LedgerDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<DepositMade> context)
    {
        var ledger = await Db.Ledgers.FindAsync([context.Message.LedgerId], context.CancellationToken)
            ?? throw new InvalidOperationException($"Ledger {context.Message.LedgerId} does not exist.");
        ledger.Balance += context.Message.Amount;
        faults.MaybeThrow(context.MessageId!.Value);
    }
}

/// <summary>Makes the deposit handler fail after it changed the balance, a given number of times per message.</summary>
public sealed class DepositFaults
{
    private readonly ConcurrentDictionary<Guid, int> remaining = new();

    public void FailTimes(Guid messageId, int times) => remaining[messageId] = times;

    public void MaybeThrow(Guid messageId)
    {
        if (remaining.TryGetValue(messageId, out var left) && left > 0 && remaining.TryUpdate(messageId, left - 1, left))
        {
            throw new InvalidOperationException("Injected failure after the state change.");
        }
    }
}
