using System.Diagnostics.Metrics;
using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Capture.ServiceDefaults.Messaging;

/// <summary>
/// The outbox as metrics, for the alerts in deploy/k8s (outbox backlog and age): <c>capture.outbox.pending</c> (events
/// not yet published) and <c>capture.outbox.oldest_age</c> (seconds since the oldest of them was written), sampled
/// every <see cref="OutboxRelayOptions.MetricsInterval"/> from the same rows <c>/ops/outbox</c> shows. Every replica
/// reports the same service-wide numbers: alert on the maximum per service, not the sum.
/// </summary>
public sealed partial class OutboxMetrics<TContext> : BackgroundService
    where TContext : ServiceDbContext
{
    public const string MeterName = "Capture.Outbox";

    private readonly IServiceProvider services;
    private readonly IOptions<OutboxRelayOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<OutboxMetrics<TContext>> logger;
    private long pending;
    private DateTimeOffset? oldest;

    public OutboxMetrics(IServiceProvider services, IMeterFactory meters, IOptions<OutboxRelayOptions> options, ILogger<OutboxMetrics<TContext>> logger, TimeProvider? time = null)
    {
        this.services = services;
        this.options = options;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("capture.outbox.pending", () => Interlocked.Read(ref pending), "{event}",
            "Events written to the outbox and not yet published.");
        meter.CreateObservableGauge("capture.outbox.oldest_age", OldestAgeSeconds, "s",
            "Seconds since the oldest unpublished event was written (0 when none waits).");
    }

    private double OldestAgeSeconds()
    {
        var since = oldest;
        return since is null ? 0 : Math.Max(0, (this.time.GetUtcNow() - since.Value).TotalSeconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                var unpublished = db.OutboxMessages.Where(m => m.PublishedAt == null);
                var count = await unpublished.LongCountAsync(stoppingToken);
                var first = await unpublished.OrderBy(m => m.Sequence).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(stoppingToken);
                Interlocked.Exchange(ref pending, count);
                oldest = first;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database is away: keep the last numbers (the database's own alerts cover its outage).
                LogSampleFailed(logger, ex);
            }

            await Task.Delay(options.Value.MetricsInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not sample the outbox for its metrics")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
