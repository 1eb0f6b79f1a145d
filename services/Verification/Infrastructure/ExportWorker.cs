using System.Collections.Concurrent;
using System.Threading.Channels;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// Builds queued export batches one at a time (a zip of thousands of photos is I/O, not a request). At start and every
/// <see cref="VerificationOptions.ExportSweepInterval"/> it looks for batches still queued or building, so one requested
/// on (or interrupted with) an instance that stopped or crashed is finished by a survivor; a batch another instance is
/// building is skipped (<see cref="ExportLease"/>). A batch waits <see cref="VerificationOptions.ExportDebounce"/> after
/// its request before it is built, so that a second click (or a second admin) in that time gets the same batch rather
/// than a new one.
/// </summary>
public sealed partial class ExportWorker(IServiceScopeFactory scopes, ExportBuilder builder, TimeProvider time, IOptions<VerificationOptions> options, ILogger<ExportWorker> logger)
    : BackgroundService
{
    private const int SweepBatches = 200;
    private readonly Channel<(Guid, DateTimeOffset)> queue = Channel.CreateUnbounded<(Guid, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, byte> pending = new();

    /// <summary>Queues a batch to build here, unless it is queued here already; returns whether it was new here.</summary>
    public bool Enqueue(Guid batchId, DateTimeOffset requestedAt) => pending.TryAdd(batchId, 0) && queue.Writer.TryWrite((batchId, requestedAt));

    /// <summary>Queues every batch still queued or building (this instance's, or one a stopped or crashed instance left); returns how many were new here.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VerificationDbContext>();
        var open = await db.Exports.AsNoTracking().Where(b => b.State == ExportState.Queued || b.State == ExportState.Building)
            .OrderBy(b => b.RequestedAt).Take(SweepBatches).Select(b => new { b.Id, b.RequestedAt }).ToListAsync(ct);
        return open.Count(b => Enqueue(b.Id, b.RequestedAt));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var sweeping = SweepLoopAsync(stoppingToken);
        try
        {
            await foreach (var (id, requestedAt) in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var debounce = options.Value.ExportDebounce;
                    var wait = debounce - (time.GetUtcNow() - requestedAt);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait > debounce ? debounce : wait, stoppingToken);
                    }

                    await builder.BuildAsync(id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The database or the lease's connection failed before the batch was taken: the next sweep tries again.
                    LogBuildFailed(logger, id, e);
                }
                finally
                {
                    pending.TryRemove(id, out _);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await sweeping;
    }

    private Task SweepLoopAsync(CancellationToken stoppingToken) => Periodic.RunAsync(
        "Export sweep",
        SweepAsync,
        Periodic.Every(() => options.Value.ExportSweepInterval > TimeSpan.Zero ? options.Value.ExportSweepInterval : TimeSpan.FromMinutes(1), time),
        logger,
        stoppingToken);

    [LoggerMessage(LogLevel.Error, "Export batch {BatchId} could not be started; the next sweep tries again")]
    private static partial void LogBuildFailed(ILogger logger, Guid batchId, Exception exception);
}
