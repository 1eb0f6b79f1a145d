using System.Diagnostics.Metrics;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>The capture-day numbers ops watch, on meter <c>Capture.CaptureIngest</c> (exported with OpenTelemetry).</summary>
public sealed class CaptureMetrics
{
    public const string MeterName = "Capture.CaptureIngest";

    private readonly Counter<long> uploaded;
    private readonly Counter<long> verdicts;
    private readonly Counter<long> held;
    private readonly Counter<long> failedMeasures;
    private readonly Histogram<double> verdictLatency;

    public CaptureMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        uploaded = meter.CreateCounter<long>("capture.photos.uploaded", unit: "{photo}", description: "Raw photos stored from stations");
        verdicts = meter.CreateCounter<long>("capture.photos.verdicts", unit: "{photo}", description: "Standardisation verdicts by outcome and failed measure");
        failedMeasures = meter.CreateCounter<long>("capture.photos.failed_measures", unit: "{measure}", description: "Quality measures failed, by measure");
        held = meter.CreateCounter<long>("capture.photos.held", unit: "{photo}", description: "Photos held for a person");
        verdictLatency = meter.CreateHistogram<double>("capture.verdict.latency", unit: "s", description: "From upload stored to verdict recorded");
    }

    public void Uploaded(string venue, string station) => uploaded.Add(1, new("venue", venue), new("station", station));

    public void Held(string reason) => held.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Verdict(string outcome, IEnumerable<string> failed, string station, TimeSpan latency)
    {
        verdicts.Add(1, new("outcome", outcome), new("station", station));
        foreach (var measure in failed)
        {
            failedMeasures.Add(1, new KeyValuePair<string, object?>("measure", measure));
        }

        verdictLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
