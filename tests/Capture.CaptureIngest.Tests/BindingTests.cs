using System.Net;
using System.Net.Http.Json;
using Capture.CaptureIngest.Apis;
using Capture.CaptureIngest.Domain;
using Capture.Contracts.CaptureIngest;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Tests;

/// <summary>Binding by data (station, day, shoot number), never by order: every interleaving of uploads and check-ins binds each photo to its own student.</summary>
public sealed class BindingTests(CaptureIngestApp app) : IClassFixture<CaptureIngestApp>
{
    [Fact]
    public async Task A_photo_after_its_check_in_binds_at_once_and_is_announced()
    {
        var station = await app.OpenStationAsync();
        var registration = await app.CheckInAsync(station, "B1-0001");
        using var op = app.Operator(station);
        var photo = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Jpeg());

        Assert.Equal("bound", photo.Status);
        Assert.Equal(registration, photo.RegistrationId);
        var rows = await app.InDbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());
        var events = rows.Where(m => m.Body.Contains(photo.Id.ToString(), StringComparison.Ordinal)).Select(m => m.MessageType).ToList();
        Assert.Contains(typeof(PhotoUploaded).FullName, events);
        Assert.Contains(typeof(PhotoBound).FullName, events);
    }

    [Fact]
    public async Task A_photo_before_its_check_in_waits_then_binds_when_the_event_comes()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var photo = await app.UploadOkAsync(op, station, "B1-0007", TestImages.Jpeg());
        Assert.Equal("pending-binding", photo.Status);
        Assert.Null(photo.RegistrationId);

        var registration = await app.CheckInAsync(station, "B1-0007", wait: false);
        var bound = await Eventually.GetAsync(() => app.PhotoAsync(op, photo.Id), p => p.Status == "bound", what: "the waiting photo bound");
        Assert.Equal(registration, bound.RegistrationId);
    }

    [Fact]
    public async Task Fifty_stations_with_uploads_and_check_ins_interleaved_bind_every_photo_to_its_own_student()
    {
        var school = CaptureIngestApp.NewSchool();
        var stations = new List<TestStation>();
        for (var i = 0; i < 50; i++)
        {
            stations.Add(await app.OpenStationAsync(school, "S" + i));
        }

        // Two students per station; the same shoot numbers at every station (numbers are per station): only the station tells them apart.
        var expected = new Dictionary<Guid, Guid>();
        var work = new List<Func<Task>>();
        foreach (var station in stations)
        {
            foreach (var shoot in new[] { station.Code + "-0001", station.Code + "-0002" })
            {
                var registration = Guid.NewGuid();
                var s = station;
                var n = shoot;
                work.Add(() => app.CheckInAsync(s, n, registration, wait: false));
                for (var shot = 1; shot <= 2; shot++)
                {
                    var index = shot;
                    work.Add(async () =>
                    {
                        using var client = app.Operator(s);
                        var photo = await app.UploadOkAsync(client, s, n, TestImages.Jpeg(), index);
                        lock (expected)
                        {
                            expected[photo.Id] = registration;
                        }
                    });
                }
            }
        }

        // Shuffle: some photos come before their check-in, some after, many at the same moment.
        var shuffled = work.OrderBy(_ => Random.Shared.Next()).ToList();
        await Parallel.ForEachAsync(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, _) => await item());

        var ids = expected.Keys.ToList();
        var photos = await Eventually.GetAsync(
            () => app.InDbAsync(db => db.Photos.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync()),
            rows => rows.Count == 200 && rows.All(p => p.Status == PhotoStatus.Bound),
            timeout: TimeSpan.FromSeconds(60),
            what: "all 200 photos bound");
        var misbound = photos.Count(p => p.RegistrationId != expected[p.Id]);
        Assert.Equal(0, misbound);
    }

    [Fact]
    public async Task A_photo_of_a_withdrawn_student_is_held_and_a_person_binds_it_with_an_audited_reason()
    {
        var station = await app.OpenStationAsync();
        var withdrawn = Guid.NewGuid();
        await app.WithdrawAsync(withdrawn);
        await Eventually.TrueAsync(() => app.InDbAsync(db => db.Withdrawals.AnyAsync(w => w.RegistrationId == withdrawn)), what: "the withdrawal recorded");
        await app.CheckInAsync(station, "B1-0003", withdrawn);
        var right = await app.CheckInAsync(station, "B1-0004");

        using var op = app.Operator(station);
        var photo = await app.UploadOkAsync(op, station, "B1-0003", TestImages.Jpeg());
        Assert.Equal("held", photo.Status);
        Assert.Contains("withdrawn", photo.HeldReason);

        using var admin = app.Admin(station.School);
        var held = await admin.GetFromJsonAsync<List<PhotoView>>("/api/capture/held-photos");
        Assert.Contains(held!, p => p.Id == photo.Id && p.HeldReason!.Contains("withdrawn"));

        // Another school's admin neither sees nor binds it.
        using var stranger = app.Admin(CaptureIngestApp.NewSchool());
        Assert.DoesNotContain((await stranger.GetFromJsonAsync<List<PhotoView>>("/api/capture/held-photos"))!, p => p.Id == photo.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/bind", new { registrationId = right, reason = "mine" })).StatusCode);

        // No reason: refused, nothing changes. The withdrawn student: refused.
        var nul = await admin.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/bind", new { registrationId = right, reason = "sheet\u0000says so" });
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        var tooLong = await admin.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/bind", new { registrationId = right, reason = new string('x', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var noReason = await admin.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/bind", new { registrationId = right });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/bind", new { registrationId = withdrawn, reason = "x" })).StatusCode);
        Assert.Equal("held", (await app.PhotoAsync(admin, photo.Id)).Status);

        var bind = await admin.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/bind", new { registrationId = right, reason = "sheet shows B1-0004 was shot under B1-0003" });
        Assert.Equal(HttpStatusCode.OK, bind.StatusCode);
        var bound = await app.PhotoAsync(admin, photo.Id);
        Assert.Equal("bound", bound.Status);
        Assert.Equal(right, bound.RegistrationId);
        var audit = await app.InDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.PhotoId == photo.Id));
        Assert.Equal("bind", audit.Action);
        Assert.Equal(right, audit.NewRegistrationId);
        Assert.StartsWith("school-admin:", audit.Actor);
        Assert.Contains("B1-0004", audit.Reason);
    }

    [Fact]
    public async Task A_held_photo_can_be_discarded_with_a_reason_and_is_kept_in_storage()
    {
        var station = await app.OpenStationAsync();
        var withdrawn = Guid.NewGuid();
        await app.WithdrawAsync(withdrawn);
        await Eventually.TrueAsync(() => app.InDbAsync(db => db.Withdrawals.AnyAsync(w => w.RegistrationId == withdrawn)));
        await app.CheckInAsync(station, "B1-0009", withdrawn);
        using var op = app.Operator(station);
        var photo = await app.UploadOkAsync(op, station, "B1-0009", TestImages.Jpeg());

        using var admin = app.Admin(station.School);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/discard", new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/capture/photos/{photo.Id}/discard", new { reason = "test shot of the backdrop" })).StatusCode);
        var row = await app.InDbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == photo.Id));
        Assert.Equal(PhotoStatus.Discarded, row.Status);
        var storage = app.Service.Services.GetRequiredService<Capture.ServiceDefaults.Storage.IObjectStorage>();
        Assert.NotNull(await storage.StatAsync(PhotosApi.RawBucket, row.RawObjectKey));
    }

    [Fact]
    public async Task A_second_registration_for_a_taken_shoot_number_holds_the_photos_instead_of_binding_either()
    {
        var station = await app.OpenStationAsync();
        var first = await app.CheckInAsync(station, "B1-0011");
        using var op = app.Operator(station);
        var photo = await app.UploadOkAsync(op, station, "B1-0011", TestImages.Jpeg());
        Assert.Equal(first, photo.RegistrationId);

        await app.CheckInAsync(station, "B1-0011", Guid.NewGuid(), wait: false);
        var held = await Eventually.GetAsync(() => app.PhotoAsync(op, photo.Id), p => p.Status == "held", what: "the photo held");
        Assert.Contains("issued twice", held.HeldReason);
    }
}
