using System.Diagnostics;
using Capture.ServiceDefaults.Tests.Plumbing;
using Capture.Testing;
using Xunit.Abstractions;

namespace Capture.ServiceDefaults.Tests.Messaging;

/// <summary>
/// The outbox's lag for an event written just after a 20,000-event import: urgent versus not. A measurement, not a
/// check (it takes about a minute): run it on purpose with <c>CAPTURE_MEASURE_OUTBOX=1</c>; docs/benchmarks.md has the numbers.
/// </summary>
public sealed class OutboxLagMeasurement(ITestOutputHelper output)
{
    [Fact]
    public async Task Lag_of_an_event_written_behind_a_20000_event_backlog()
    {
        if (Environment.GetEnvironmentVariable("CAPTURE_MEASURE_OUTBOX") != "1")
        {
            return;
        }

        foreach (var urgent in new[] { false, true })
        {
            await using var isolated = await Isolated.CreateAsync();
            var log = new DeliveryLog();
            await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, log);
            const int bulk = 20_000;
            var clock = Stopwatch.StartNew();
            await host.InDbAsync(async db =>
            {
                for (var i = 0; i < bulk; i++)
                {
                    db.AddIntegrationEvent(new LedgerOpened(Guid.NewGuid(), $"bulk {i}"));
                }

                await db.SaveChangesAsync();
            });
            var imported = clock.Elapsed;

            // The withdrawal comes a moment after the import committed, while the relay works through the backlog.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var marker = Guid.NewGuid();
            var written = clock.Elapsed;
            await host.InDbAsync(async db =>
            {
                if (urgent)
                {
                    db.AddUrgentIntegrationEvent(new LedgerOpened(marker, "withdrawal"));
                }
                else
                {
                    db.AddIntegrationEvent(new LedgerOpened(marker, "withdrawal"));
                }

                await db.SaveChangesAsync();
            });
            await Eventually.TrueAsync(() => log.Of<LedgerOpened>().Any(m => m.LedgerId == marker), TimeSpan.FromMinutes(5), "the marker");
            var lag = clock.Elapsed - written;
            await Eventually.TrueAsync(() => log.Counts.Count >= bulk + 1, TimeSpan.FromMinutes(5), "the whole backlog");
            var drained = clock.Elapsed - imported;
            output.WriteLine($"urgent={urgent}: import write {imported.TotalSeconds:F1} s; marker lag {lag.TotalMilliseconds:F0} ms; whole backlog delivered {drained.TotalSeconds:F1} s after the import committed ({bulk / drained.TotalSeconds:F0} events/s)");
        }
    }
}
