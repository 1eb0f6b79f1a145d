using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Capture.ServiceDefaults.Messaging;

/// <summary>
/// The base of every consumer that changes state. In one transaction it records the message id in the inbox and
/// runs <see cref="HandleAsync"/>, then saves (state, inbox row and any outbox events together). A redelivered
/// message hits the inbox's primary key and is acknowledged without running the handler again; a concurrent
/// duplicate waits on that key and then sees the first one's row. If the handler throws, nothing is saved and the
/// message goes back to MassTransit's retry, then the error queue.
/// </summary>
public abstract partial class IdempotentConsumer<TMessage, TContext>(TContext db, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TContext : ServiceDbContext
{
    protected TContext Db { get; } = db;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id; idempotent handling needs one.");
        var consumer = GetType().FullName!;
        CorrelationContext.Current = context.CorrelationId?.ToString("N") ?? context.Headers.Get<string>(CorrelationMiddleware.HeaderName);

        await using var transaction = await Db.Database.BeginTransactionAsync(context.CancellationToken);
        var inbox = Db.Model.FindEntityType(typeof(InboxMessage))!;
        var table = $"\"{inbox.GetSchema()}\".\"{inbox.GetTableName()}\"";
        // The table name comes from the EF model, never from input; the values are parameters.
#pragma warning disable EF1002
        var inserted = await Db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {table} (message_id, consumer, processed_at) VALUES ({{0}}, {{1}}, now()) ON CONFLICT DO NOTHING",
            [messageId, consumer],
            context.CancellationToken);
#pragma warning restore EF1002

        if (inserted == 0)
        {
            LogDuplicate(logger, typeof(TMessage).Name, messageId, consumer);
            await transaction.RollbackAsync(context.CancellationToken);
            return;
        }

        await HandleAsync(context);
        await Db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    /// <summary>Changes state through <see cref="Db"/> (and may add outbox events). Do not call SaveChanges: the base does, once.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);

    [LoggerMessage(LogLevel.Information, "Skipped {MessageType} {MessageId}: {Consumer} has handled it already")]
    private static partial void LogDuplicate(ILogger logger, string messageType, Guid messageId, string consumer);
}
