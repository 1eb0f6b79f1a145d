using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Capture.CaptureIngest.Apis;
using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.CaptureIngest.Tests;

/// <summary>Capture day at a glance: the per-station counts ops and schools read, and the numbers on the Capture meter.</summary>
public sealed class OpsTests(CaptureIngestApp app) : IClassFixture<CaptureIngestApp>
{
    [Fact]
    public async Task Each_station_counts_its_photos_by_state_and_every_caller_sees_only_their_own_stations()
    {
        using var meter = new CaptureMeterRecorder(app.Service.Services.GetRequiredService<IMeterFactory>());
        var school = CaptureIngestApp.NewSchool();
        var a = await app.OpenStationAsync(school, "B1");
        var b = await app.OpenStationAsync(school, "B2");
        var elsewhere = await app.OpenStationAsync(code: "B1");

        // Station a: a passing shot (picked), a blurred one, and a photo whose shoot number has no check-in yet.
        var student = await app.CheckInAsync(a, "B1-0001");
        using var opA = app.Operator(a);
        var good = await app.UploadOkAsync(opA, a, "B1-0001", TestImages.Unique(TestPhotos.Bytes(TestPhotos.Good)), 1);
        var blurred = await app.UploadOkAsync(opA, a, "B1-0001", TestImages.Unique(TestPhotos.Bytes(TestPhotos.Blurred)), 2);
        var waiting = await app.UploadOkAsync(opA, a, "B1-0077", TestImages.Jpeg());

        // Station b: a photo of a withdrawn student, held. Another school's station: one photo.
        var withdrawn = Guid.NewGuid();
        await app.WithdrawAsync(withdrawn);
        await Eventually.TrueAsync(() => app.InDbAsync(db => db.Withdrawals.AnyAsync(w => w.RegistrationId == withdrawn)), what: "the withdrawal recorded");
        await app.CheckInAsync(b, "B2-0001", withdrawn);
        using var opB = app.Operator(b);
        var held = await app.UploadOkAsync(opB, b, "B2-0001", TestImages.Jpeg());
        Assert.Equal("held", held.Status);
        using var opElsewhere = app.Operator(elsewhere);
        await app.UploadOkAsync(opElsewhere, elsewhere, "B1-0001", TestImages.Jpeg());

        foreach (var (client, id) in new[] { (opA, good.Id), (opA, blurred.Id), (opA, waiting.Id), (opB, held.Id) })
        {
            await Eventually.GetAsync(() => app.PhotoAsync(client, id), p => p.Verdict != "pending", TimeSpan.FromSeconds(60), $"photo {id} judged");
        }

        (await opA.PostAsync($"/api/capture/photos/{good.Id}/accept", null)).EnsureSuccessStatusCode();

        // Ops see every station of the day.
        using var ops = app.Ops();
        var all = await SummaryAsync(ops);
        var rowA = Assert.Single(all.Stations, s => s.StationId == a.Id);
        Assert.Equal(
            (a.VenueId, school, 3, 1, 0, 0, 1, 1, 1, 1),
            (rowA.VenueId, rowA.SchoolCode, rowA.Uploaded, rowA.PendingBinding, rowA.Held, rowA.Standardising, rowA.Passed, rowA.Failed, rowA.Rejected, rowA.Accepted));
        Assert.Equal(new Dictionary<string, int> { ["sharpness"] = 1 }, rowA.FailedByMeasure);
        var waitingRow = await app.InDbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == waiting.Id));
        Assert.Equal(waitingRow.UploadedAt, rowA.OldestWaitingSince);
        Assert.NotNull(rowA.VerdictSecondsP95);
        Assert.True(rowA.VerdictSecondsMedian >= 0 && rowA.VerdictSecondsMedian <= rowA.VerdictSecondsP95);
        var rowB = Assert.Single(all.Stations, s => s.StationId == b.Id);
        Assert.Equal((1, 1, 0), (rowB.Uploaded, rowB.Held, rowB.PendingBinding));
        Assert.Contains(all.Stations, s => s.StationId == elsewhere.Id);
        Assert.Equal(60, all.PhotosPerMinute!.Count);
        Assert.True(all.PhotosPerMinute.Sum(m => m.Count) >= 5, "the last hour's minutes count the uploads");

        // Ops narrowed to a venue; the school's admin: the school's stations; a photographer: the venue's station.
        Assert.Equal([a.Id], (await SummaryAsync(ops, $"?venueId={a.VenueId}")).Stations.Select(s => s.StationId));
        using var admin = app.Admin(school);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), (await SummaryAsync(admin)).Stations.Select(s => s.StationId).Order());
        Assert.Equal([a.Id], (await SummaryAsync(opA)).Stations.Select(s => s.StationId));
        using var stranger = app.Admin(CaptureIngestApp.NewSchool());
        Assert.DoesNotContain((await SummaryAsync(stranger)).Stations, s => s.SchoolCode == school);

        // A token without the claim that scopes it is refused, never "everything".
        using var noSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: null));
        using var noVenue = app.Service.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: school, venue: null));
        using var student1 = app.Service.CreateClient(TestTokens.For(CaptureRoles.Student, subject: student.ToString(), school: school));
        Assert.Equal(HttpStatusCode.Forbidden, (await noSchool.GetAsync("/api/capture/ops/stations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await noVenue.GetAsync("/api/capture/ops/stations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await student1.GetAsync("/api/capture/ops/stations")).StatusCode);

        // The same day on the Capture meter: uploads and verdicts per station, failed measures, holds by kind, latency.
        await Eventually.TrueAsync(() => meter.Sum("capture.photos.verdicts", ("station", a.Id.ToString())) == 3, TimeSpan.FromSeconds(10), "station a's verdicts on the meter");
        Assert.Equal(3, meter.Sum("capture.photos.uploaded", ("station", a.Id.ToString()), ("venue", a.VenueId.ToString())));
        Assert.Equal(1, meter.Sum("capture.photos.uploaded", ("station", b.Id.ToString())));
        Assert.Equal(1, meter.Sum("capture.photos.verdicts", ("station", a.Id.ToString()), ("outcome", "passed")));
        Assert.Equal(1, meter.Sum("capture.photos.verdicts", ("station", a.Id.ToString()), ("outcome", "failed")));
        Assert.Equal(1, meter.Sum("capture.photos.verdicts", ("station", a.Id.ToString()), ("outcome", "rejected")));
        Assert.Equal(1, meter.Sum("capture.photos.failed_measures", ("measure", "sharpness")));
        Assert.Equal(1, meter.Sum("capture.photos.held", ("reason", HoldKind.Withdrawn)));
        Assert.True(meter.Count("capture.verdict.latency") >= 4);
        Assert.All(meter.Values("capture.verdict.latency"), seconds => Assert.InRange(seconds, 0, 60));
    }

    private static async Task<OpsApi.CaptureDaySummary> SummaryAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/api/capture/ops/stations" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<OpsApi.CaptureDaySummary>())!;
    }

    /// <summary>Every measurement on this app's Capture meter (its own <see cref="IMeterFactory"/>: other apps in the process are not heard).</summary>
    private sealed class CaptureMeterRecorder : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements = new();

        public CaptureMeterRecorder(IMeterFactory factory)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CaptureMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
            listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
            listener.Start();
        }

        public double Sum(string instrument, params (string Key, string Value)[] tags) => Matching(instrument, tags).Sum();

        public int Count(string instrument) => Matching(instrument, []).Count();

        public IEnumerable<double> Values(string instrument) => Matching(instrument, []);

        public void Dispose() => listener.Dispose();

        private IEnumerable<double> Matching(string instrument, (string Key, string Value)[] tags) => measurements
            .Where(m => m.Instrument == instrument && tags.All(t => m.Tags.Any(x => x.Key == t.Key && Equals(x.Value?.ToString(), t.Value))))
            .Select(m => m.Value);
    }
}
