using System.Diagnostics.Metrics;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Tests.Plumbing;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.ServiceDefaults.Tests.Messaging;

/// <summary>The outbox backlog and age alerts (deploy/k8s PrometheusRule) read these two gauges.</summary>
public sealed class OutboxMetricsTests
{
    [Fact]
    public async Task Pending_events_and_the_oldest_ones_age_are_reported()
    {
        await using var isolated = await Isolated.CreateAsync();
        await using var host = await LedgerHost.StartAsync(isolated.DatabaseConnection, isolated.Messaging, new DeliveryLog(),
            settings: new Dictionary<string, string?> { ["Outbox:MetricsInterval"] = "00:00:00.200" });

        // An event the relay leaves alone for an hour (as after repeated broker failures).
        await host.InDbAsync(async db =>
        {
            var row = OutboxMessage.Create(new LedgerOpened(Guid.NewGuid(), "metrics"), typeof(LedgerOpened));
            row.NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1);
            db.OutboxMessages.Add(row);
            await db.SaveChangesAsync();
        });

        // Only this host's gauges: other tests' hosts in this process have meters of the same name.
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var values = new Dictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OutboxMetrics<LedgerDbContext>.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => { lock (values) { values[instrument.Name] = value; } });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => { lock (values) { values[instrument.Name] = value; } });
        listener.Start();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            listener.RecordObservableInstruments();
            lock (values)
            {
                if (values.GetValueOrDefault("capture.outbox.pending") == 1 && values.GetValueOrDefault("capture.outbox.oldest_age") > 0)
                {
                    break;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"gauges never showed the pending event: {string.Join(", ", values)}");
            await Task.Delay(100);
        }
    }
}
