using System.Threading.Channels;
using Capture.Verification.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Verification.Infrastructure;

/// <summary>Builds queued export batches one at a time (a zip of thousands of photos is I/O, not a request); at start it resumes those a stop interrupted.</summary>
public sealed class ExportWorker(IServiceScopeFactory scopes, ExportBuilder builder) : BackgroundService
{
    private readonly Channel<Guid> queue = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid batchId) => queue.Writer.TryWrite(batchId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<VerificationDbContext>();
                foreach (var id in await db.Exports.Where(b => b.State == ExportState.Queued || b.State == ExportState.Building).OrderBy(b => b.RequestedAt).Select(b => b.Id).ToListAsync(stoppingToken))
                {
                    Enqueue(id);
                }
            }

            await foreach (var id in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await builder.BuildAsync(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
