using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Capture.Contracts;
using Capture.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Capture.ServiceDefaults.Messaging;

public sealed class OutboxRelayOptions
{
    public int BatchSize { get; set; } = 100;

    /// <summary>How often the relay looks even when nobody signalled (another instance may have written rows).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one publish may wait for the broker's confirm before the batch is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After a wake-up, wait this long so that events committed close together leave in one batch: under load (a
    /// check-in queue, a roster import) the relay then claims tens of rows a time instead of one row per commit.
    /// 100 ms keeps events prompt for every consumer we have; batching more (500 ms) cut the check-in service's and
    /// PostgreSQL's CPU by about a tenth in a benchmark at 200 check-ins/s (docs/benchmarks.md).
    /// </summary>
    public TimeSpan CoalesceDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Published rows are kept this long (for audit and ops) and then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often <see cref="OutboxMetrics{TContext}"/> counts the unpublished rows.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Publishes outbox rows to RabbitMQ, urgent rows (<see cref="OutboxMessage.Urgent"/>) first. Each batch is claimed with <c>FOR UPDATE SKIP LOCKED</c> inside a transaction,
/// so two relays (two instances of a service) never publish the same row; a row is stamped published only after
/// the broker confirmed it (MassTransit waits for RabbitMQ publisher confirms). If the broker is away the batch is
/// rolled back to "unpublished" and retried with back-off, in order, until it goes through. A crash between the
/// confirm and the commit publishes the row again with the same message id, which the consumers' inboxes drop.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxRelayOptions> options,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : ServiceDbContext
{
    private static readonly ActivitySource Source = new("Capture.Outbox");
    private static readonly ConcurrentDictionary<string, Type?> Types = new();
    private DateTimeOffset nextPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (claimed, failed) = await RelayBatchAsync(stoppingToken);
                failures = failed ? failures + 1 : 0;
                if (failed)
                {
                    await Task.Delay(Backoff(failures), stoppingToken);
                    continue;
                }

                if (claimed == options.Value.BatchSize)
                {
                    continue;
                }

                await PurgeAsync(stoppingToken);
                if (await signal.WaitAsync(options.Value.PollInterval, stoppingToken))
                {
                    await Task.Delay(options.Value.CoalesceDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogRelayFailed(logger, ex, failures);
                try
                {
                    await Task.Delay(Backoff(failures), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Publishes one batch. Returns how many rows it claimed and whether the broker failed.</summary>
    public async Task<(int Claimed, bool BrokerFailed)> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))!;
        var table = $"\"{entity.GetSchema()}\".\"{entity.GetTableName()}\"";

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The table name comes from the EF model, never from input; the batch size is a parameter.
#pragma warning disable EF1003
        var rows = await db.OutboxMessages
            .FromSqlRaw(
                $"SELECT * FROM {table} WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now()) "
                + "ORDER BY urgent DESC, sequence LIMIT {0} FOR UPDATE SKIP LOCKED",
                options.Value.BatchSize)
            .ToListAsync(cancellationToken);
#pragma warning restore EF1003

        if (rows.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (0, false);
        }

        var brokerFailed = false;
        var published = 0;
        foreach (var row in rows)
        {
            var type = Resolve(row.MessageType);
            if (type is null)
            {
                // A poisoned row must not block the rows behind it: park it and tell ops through last_error.
                row.Attempts++;
                row.LastError = $"Unknown message type {row.MessageType}: no loaded assembly defines it.";
                row.NextAttemptAt = DateTimeOffset.UtcNow.AddMinutes(5);
                LogUnknownType(logger, row.Id, row.MessageType);
                continue;
            }

            try
            {
                await PublishAsync(row, type, cancellationToken);
                row.PublishedAt = DateTimeOffset.UtcNow;
                row.LastError = null;
                published++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Keep order: stop at the first broker failure and retry from here after a back-off.
                row.Attempts++;
                row.LastError = Truncate(ex.GetBaseException().Message, 2000);
                brokerFailed = true;
                LogPublishFailed(logger, ex, row.Id, row.MessageType, row.Attempts);
                break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (published > 0)
        {
            LogPublished(logger, published);
        }

        return (rows.Count, brokerFailed);
    }

    private async Task PublishAsync(OutboxMessage row, Type type, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Deserialize(row.Body, type, JsonSerializerOptions.Web)!;
        using var activity = row.TraceParent is not null && ActivityContext.TryParse(row.TraceParent, null, out var parent)
            ? Source.StartActivity("outbox relay " + type.Name, ActivityKind.Producer, parent)
            : Source.StartActivity("outbox relay " + type.Name, ActivityKind.Producer);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);

        void Stamp(SendContext context)
        {
            context.MessageId = row.Id;
            if (row.CorrelationId is not null)
            {
                context.Headers.Set(Http.CorrelationMiddleware.HeaderName, row.CorrelationId);
            }
        }

        if (row.Destination is null)
        {
            await bus.Publish(message, type, Stamp, timeout.Token);
        }
        else
        {
            var endpoint = await bus.GetSendEndpoint(new Uri(row.Destination));
            await endpoint.Send(message, type, Stamp, timeout.Token);
        }
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow < nextPurge)
        {
            return;
        }

        nextPurge = DateTimeOffset.UtcNow.AddMinutes(10);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var cutoff = DateTimeOffset.UtcNow - options.Value.Retention;
        await db.OutboxMessages.Where(m => m.PublishedAt != null && m.PublishedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.InboxMessages.Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(options.Value.MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 16))));

    private static Type? Resolve(string name) => Types.GetOrAdd(name, static n =>
        ContractsAssembly.Assembly.GetType(n)
        ?? typeof(TContext).Assembly.GetType(n)
        ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(n)).FirstOrDefault(t => t is not null));

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    [LoggerMessage(LogLevel.Debug, "Outbox relayed {Count} messages")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Outbox could not publish {MessageId} ({MessageType}), attempt {Attempts}; will retry")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex, Guid messageId, string messageType, int attempts);

    [LoggerMessage(LogLevel.Error, "Outbox row {MessageId} names unknown type {MessageType}; parked for 5 minutes")]
    private static partial void LogUnknownType(ILogger logger, Guid messageId, string messageType);

    [LoggerMessage(LogLevel.Error, "Outbox relay failed ({Failures} in a row); retrying")]
    private static partial void LogRelayFailed(ILogger logger, Exception ex, int failures);
}
