using Capture.StationAgent.Core;
using Capture.Testing;

namespace Capture.StationAgent.Tests;

/// <summary>
/// The agent against the real system (five services and the gateway started by the AppHost library), reaching the
/// gateway through a TCP proxy the test can cut; a test folder stands in for the camera.
/// </summary>
[Collection(nameof(AgentSystem))]
public sealed class StationAgentTests(AgentSystemFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Scanned_shots_are_uploaded_bound_to_the_student_moved_to_sent_and_shown_from_the_feed()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0], o => o with { KeyframeAfterScan = true });
        var student = day.Students[0];

        var scan = await h.ScanAsync(student.CaptureCode);
        Assert.Equal("S1-0001", scan.ShootNumber);
        Assert.Equal(student.Name, scan.StudentName);
        Assert.Equal("法学院", scan.CollegeName);

        var keyframe = await h.Camera.ShootAsync(TestImages.Jpeg());
        var slow = await h.Camera.ShootSlowlyAsync(TestImages.Jpeg(320, 240, 95), chunks: 6, pause: TimeSpan.FromMilliseconds(150));
        var png = await h.Camera.ShootAsync(TestImages.Png(), h.Camera.NextName(".png"));

        await Eventually.TrueAsync(() => h.Agent.Journal.All().Count(s => s.State == ShotState.Stored && s.SentPath is not null) == 3, Patience, "three shots stored and moved");
        var shots = h.Agent.Journal.All();
        Assert.Equal([1, 2, 3], shots.Select(s => s.ShotIndex));
        Assert.Equal([true, false, false], shots.Select(s => s.Keyframe));
        foreach (var (shot, original) in shots.Zip([keyframe, slow, png]))
        {
            Assert.False(File.Exists(original));
            Assert.StartsWith(Path.Combine(h.Camera.Folder, "sent", shot.TakenAt.ToLocalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), shot.SentPath, StringComparison.Ordinal);
            Assert.Equal(shot.Sha256, HotFolderWatcher.Sha256Of(shot.SentPath!));
        }

        var photos = await day.PhotosAsync(fixture, day.Stations[0], "S1-0001");
        Assert.Equal(shots.Select(s => s.Sha256), photos.Select(p => p.GetProperty("sha256").GetString()));
        Assert.All(photos, p => Assert.Equal(student.RegistrationId, p.GetProperty("registrationId").GetGuid()));
        Assert.True(photos[0].GetProperty("keyframe").GetBoolean());

        // The live feed reaches the agent and lands in the journal (the verdict itself comes from the standardisation worker).
        await Eventually.TrueAsync(() => shots.All(s => h.Feed.Any(f => f.Id == s.ServerPhotoId)), Patience, "each photo on the station's feed");
        Assert.All(h.Feed.Where(f => shots.Any(s => s.ServerPhotoId == f.Id)), f => Assert.Equal("S1-0001", f.ShootNumber));
        Assert.All(h.Agent.Journal.All(), s => Assert.NotNull(s.Verdict));
        Assert.True(h.Agent.Snapshot() is { Online: true, QueueLength: 0, CurrentShootNumber: "S1-0001" });
    }

    [Fact]
    public async Task A_half_written_file_waits_until_it_is_complete_and_a_file_that_is_no_image_is_reported_and_kept()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        await h.ScanAsync(day.Students[0].CaptureCode);

        var jpeg = TestImages.Jpeg(320, 240);
        var path = Path.Combine(h.Camera.Folder, h.Camera.NextName());
        await File.WriteAllBytesAsync(path, jpeg[..(jpeg.Length * 2 / 3)]);
        var pdf = await h.Camera.ShootAsync("%PDF-1.4 not a photo"u8.ToArray(), "form.pdf");

        await Eventually.TrueAsync(() => h.Reports.Any(r => r.StartsWith("form.pdf: NotImage", StringComparison.Ordinal)), Patience, "the PDF reported");
        await Task.Delay(h.Options.StableFor * 4); // long past "stable": the half file is still not an image
        Assert.DoesNotContain(h.Agent.Journal.All(), s => s.Path == path);
        Assert.Empty(await day.PhotosAsync(fixture, day.Stations[0], "S1-0001"));

        await using (var file = new FileStream(path, FileMode.Append))
        {
            await file.WriteAsync(jpeg.AsMemory(jpeg.Length * 2 / 3));
        }

        await Eventually.TrueAsync(() => h.Agent.Journal.All().Any(s => s.Path == path && s.State == ShotState.Stored), Patience, "the completed file stored");
        var photo = Assert.Single(await day.PhotosAsync(fixture, day.Stations[0], "S1-0001"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg)), photo.GetProperty("sha256").GetString());
        Assert.Equal(jpeg.Length, photo.GetProperty("sizeBytes").GetInt64());

        Assert.True(File.Exists(pdf), "the non-image stays where the camera put it");
        Assert.Equal(ShotState.NotImage, h.Agent.Journal.All().Single(s => s.Path == pdf).State);
    }

    [Fact]
    public async Task A_kept_feed_position_the_service_refuses_is_dropped_and_verdicts_arrive_again()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        await Eventually.TrueAsync(() => h.Agent.Snapshot().FeedConnected, Patience, "the feed connected");

        // A damaged journal: the kept position is no event id the service could have sent. The agent restarts on it.
        h.Agent.Journal.SetSetting(VerdictFeed.LastEventKey, "not-an-event-id");
        await h.StopAbruptlyAsync();
        h.StartAgent();

        // The service answers 400 to that id; the agent drops it and follows from now, so the next verdict still arrives.
        var scan = await h.ScanAsync(day.Students[0].CaptureCode);
        await h.Camera.ShootAsync(TestImages.Jpeg());
        await Eventually.TrueAsync(() => h.Agent.Journal.All() is [{ ServerPhotoId: not null }], Patience, "the shot stored");
        var photoId = h.Agent.Journal.All()[0].ServerPhotoId;
        await Eventually.TrueAsync(() => h.Feed.Any(f => f.Id == photoId), Patience, "the shot on the station's feed");
        Assert.Equal(scan.ShootNumber, h.Feed.First(f => f.Id == photoId).ShootNumber);
        Assert.True(long.TryParse(h.Agent.Journal.GetSetting(VerdictFeed.LastEventKey), out _), "the journal keeps the new position");
    }

    [Fact]
    public async Task Shots_taken_while_the_network_is_down_are_replayed_in_order_under_their_shoot_numbers()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 2);
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        var first = (await h.ScanAsync(day.Students[0].CaptureCode)).ShootNumber!;
        var before = await h.Camera.ShootAsync(TestImages.Jpeg());
        await Eventually.TrueAsync(() => h.Agent.Journal.All() is [{ State: ShotState.Stored, SentPath: not null }], Patience, "the first shot sent while online");

        h.Proxy.Cut();
        var offlineScan = await h.Agent.ScanAsync(day.Students[1].CaptureCode);
        Assert.False(offlineScan.Accepted);
        Assert.Equal("offline", offlineScan.Reason);

        var offline = new List<string>();
        offline.Add(await h.Camera.ShootAsync(TestImages.Jpeg()));
        offline.Add(await h.Camera.ShootSlowlyAsync(TestImages.Jpeg(200, 150), 3, TimeSpan.FromMilliseconds(100)));
        await Eventually.TrueAsync(() => offline.All(f => h.Agent.Journal.All().Any(s => s.Path == f)), Patience, "two shots journaled while offline");

        // The second student was checked in at the desk (another station's screen); the photographer types the number.
        var second = await day.CheckInElsewhereAsync(fixture, day.Stations[0], day.Students[1]);
        var typed = await h.Agent.ScanAsync(second.ToLowerInvariant());
        Assert.True(typed.Accepted);
        offline.Add(await h.Camera.ShootAsync(TestImages.Jpeg()));
        offline.Add(await h.Camera.ShootAsync(TestImages.Png(), h.Camera.NextName(".png")));
        try
        {
            await Eventually.TrueAsync(() => offline.All(f => h.Agent.Journal.All().Any(s => s.Path == f)), Patience, "four shots journaled while offline");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(Dump(h), e);
        }


        await Task.Delay(TimeSpan.FromSeconds(3)); // several failed attempts with back-off
        var status = h.Agent.Snapshot();
        Assert.False(status.Online);
        Assert.Equal(4, status.QueueLength);
        Assert.NotNull(status.OldestUnsent);
        Assert.All(offline, f => Assert.True(File.Exists(f), "nothing moves before the server has it"));
        Assert.Single(await day.PhotosAsync(fixture, day.Stations[0], first));

        h.Proxy.Restore();
        await Eventually.TrueAsync(() => h.Agent.Journal.All().All(s => s.State == ShotState.Stored && s.SentPath is not null), Patience, "everything replayed");
        Assert.True(h.Agent.Snapshot() is { Online: true, QueueLength: 0 });

        var firstPhotos = await day.PhotosAsync(fixture, day.Stations[0], first);
        var secondPhotos = await day.PhotosAsync(fixture, day.Stations[0], second);
        Assert.Equal([1, 2, 3], firstPhotos.Select(p => p.GetProperty("shotIndex").GetInt32()));
        Assert.Equal([1, 2], secondPhotos.Select(p => p.GetProperty("shotIndex").GetInt32()));
        Assert.All(firstPhotos, p => Assert.Equal(day.Students[0].RegistrationId, p.GetProperty("registrationId").GetGuid()));
        Assert.All(secondPhotos, p => Assert.Equal(day.Students[1].RegistrationId, p.GetProperty("registrationId").GetGuid()));

        // Replayed in the order shot: the server received them in the journal's order.
        var journalOrder = h.Agent.Journal.All().Select(s => s.Sha256).ToList();
        var serverOrder = firstPhotos.Concat(secondPhotos).OrderBy(p => p.GetProperty("uploadedAt").GetDateTimeOffset()).Select(p => p.GetProperty("sha256").GetString()).ToList();
        Assert.Equal(journalOrder, serverOrder);
        Assert.Contains(before, h.Agent.Journal.All().Select(s => s.Path));
    }

    [Fact]
    public async Task An_agent_stopped_mid_upload_and_started_again_loses_nothing_and_sends_nothing_twice()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        var shootNumber = (await h.ScanAsync(day.Students[0].CaptureCode)).ShootNumber!;

        var big = TestImages.Jpeg(1200, 900, 95);
        h.Proxy.UpstreamBytesPerSecond = Math.Max(64 * 1024, big.Length / 4); // about four seconds on the wire
        var path = await h.Camera.ShootAsync(big);
        var small = await h.Camera.ShootAsync(TestImages.Jpeg());
        await Eventually.TrueAsync(() => h.Agent.Journal.All().Any(s => s.Path == path && s.State == ShotState.Uploading), Patience, "the upload under way");
        var sentBefore = h.Proxy.UpstreamBytes;
        await Eventually.TrueAsync(() => h.Proxy.UpstreamBytes > sentBefore + (big.Length / 5), Patience, "part of the body on the wire");

        await h.StopAbruptlyAsync();
        Assert.Empty(await day.PhotosAsync(fixture, day.Stations[0], shootNumber));
        Assert.True(File.Exists(path));

        h.Proxy.UpstreamBytesPerSecond = null;
        h.StartAgent();
        await Eventually.TrueAsync(() => h.Agent.Journal.All().Count(s => s.State == ShotState.Stored && s.SentPath is not null) == 2, Patience, "both shots stored after the restart");

        var photos = await day.PhotosAsync(fixture, day.Stations[0], shootNumber);
        Assert.Equal(2, photos.Count);
        Assert.Equal([1, 2], photos.Select(p => p.GetProperty("shotIndex").GetInt32()));
        Assert.Equal(2, h.Agent.Journal.All().Count);
        Assert.False(File.Exists(small));
    }

    [Fact]
    public async Task A_shot_the_server_stored_just_before_the_agent_stopped_is_found_there_not_sent_again()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 1);
        await using var h = AgentHarness.Start(fixture, day, day.Stations[0]);
        var shootNumber = (await h.ScanAsync(day.Students[0].CaptureCode)).ShootNumber!;
        await h.StopAbruptlyAsync();

        // The crash window: the journal says "uploading", the server already has the bytes (sent by the dying agent).
        var bytes = TestImages.Jpeg();
        var path = await h.Camera.ShootAsync(bytes);
        var info = new FileInfo(path);
        long id;
        using (var journal = Journal.Open(h.Options.DataFolder))
        {
            var shot = journal.RecordImage(path, info.Length, info.LastWriteTimeUtc.Ticks, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), "image/jpeg", DateTimeOffset.UtcNow);
            journal.MarkUploading(shot.Id);
            id = shot.Id;
            using var op = fixture.CreateClient(day.OperatorToken());
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new("image/jpeg");
            using var stored = await op.PostAsync($"/api/capture/stations/{h.Station}/photos?shootNumber={shootNumber}&shot=1", content);
            Assert.Equal(System.Net.HttpStatusCode.Created, stored.StatusCode);
        }

        var proxiedBefore = h.Proxy.UpstreamBytes;
        h.StartAgent();
        await Eventually.TrueAsync(() => h.Agent.Journal.Find(id) is { State: ShotState.Stored, SentPath: not null }, Patience, "the shot confirmed from the server's list");
        Assert.True(h.Proxy.UpstreamBytes - proxiedBefore < bytes.Length, "the photo's bytes were not sent again");
        Assert.Single(await day.PhotosAsync(fixture, day.Stations[0], shootNumber));
    }

    [Fact]
    public async Task Two_agents_on_two_stations_at_once_each_bind_their_own_students_shots()
    {
        var day = await CaptureDay.CreateAsync(fixture, students: 2, stations: 2);
        await using var a = AgentHarness.Start(fixture, day, day.Stations[0]);
        await using var b = AgentHarness.Start(fixture, day, day.Stations[1]);
        var listed = await a.Agent.Api.StationsAsync(day.Venue, CancellationToken.None);
        Assert.Equal(day.Stations.Zip(day.StationCodes), listed.Select(s => (s.Id, s.Code)));
        var numberA = (await a.ScanAsync(day.Students[0].CaptureCode)).ShootNumber!;
        var numberB = (await b.ScanAsync(day.Students[1].StudentNumber)).ShootNumber!;
        Assert.Equal(("S1-0001", "S2-0001"), (numberA, numberB));

        var shots = Enumerable.Range(0, 3).SelectMany(_ => new[] { a.Camera.ShootAsync(TestImages.Jpeg()), b.Camera.ShootAsync(TestImages.Jpeg()) });
        await Task.WhenAll(shots);
        await Eventually.TrueAsync(() => a.Agent.Journal.All().Count(s => s.State == ShotState.Stored) == 3 && b.Agent.Journal.All().Count(s => s.State == ShotState.Stored) == 3,
            Patience, "both agents sent their three shots");

        var photosA = await day.PhotosAsync(fixture, day.Stations[0], numberA);
        var photosB = await day.PhotosAsync(fixture, day.Stations[1], numberB);
        Assert.Equal(a.Agent.Journal.All().Select(s => s.Sha256).Order(), photosA.Select(p => p.GetProperty("sha256").GetString()).Order());
        Assert.Equal(b.Agent.Journal.All().Select(s => s.Sha256).Order(), photosB.Select(p => p.GetProperty("sha256").GetString()).Order());
        Assert.All(photosA, p => Assert.Equal(day.Students[0].RegistrationId, p.GetProperty("registrationId").GetGuid()));
        Assert.All(photosB, p => Assert.Equal(day.Students[1].RegistrationId, p.GetProperty("registrationId").GetGuid()));
    }

    private static string Dump(AgentHarness h) => string.Join("; ", h.Agent.Journal.All().Select(s => $"{s.FileName} {s.ShootNumber} #{s.ShotIndex} {s.State} {s.Error}"))
        + " | reports: " + string.Join("; ", h.Reports) + " | files: " + string.Join(", ", Directory.EnumerateFiles(h.Camera.Folder).Select(Path.GetFileName));
}
