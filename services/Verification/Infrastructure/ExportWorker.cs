using System.Threading.Channels;
using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Verification.Infrastructure;

/// <summary>
/// Builds queued export batches one at a time (a zip of thousands of photos is I/O, not a request); at start it resumes
/// those a stop interrupted. A batch waits <see cref="VerificationOptions.ExportDebounce"/> after its request before it is
/// built, so that a second click (or a second admin) in that time gets the same batch rather than a new one.
/// </summary>
public sealed class ExportWorker(IServiceScopeFactory scopes, ExportBuilder builder, TimeProvider time, IOptions<VerificationOptions> options) : BackgroundService
{
    private readonly Channel<(Guid, DateTimeOffset)> queue = Channel.CreateUnbounded<(Guid, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid batchId, DateTimeOffset requestedAt) => queue.Writer.TryWrite((batchId, requestedAt));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<VerificationDbContext>();
                foreach (var id in await db.Exports.Where(b => b.State == ExportState.Queued || b.State == ExportState.Building).OrderBy(b => b.RequestedAt).Select(b => new { b.Id, b.RequestedAt }).ToListAsync(stoppingToken))
                {
                    Enqueue(id.Id, id.RequestedAt);
                }
            }

            await foreach (var (id, requestedAt) in queue.Reader.ReadAllAsync(stoppingToken))
            {
                var debounce = options.Value.ExportDebounce;
                var wait = debounce - (time.GetUtcNow() - requestedAt);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait > debounce ? debounce : wait, stoppingToken);
                }

                await builder.BuildAsync(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
