using System.Net.Http.Json;
using System.Text.Json;
using Capture.CaptureIngest.Apis;
using Capture.CaptureIngest.Domain;
using Capture.Contracts.CaptureIngest;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Capture.CaptureIngest.Tests;

/// <summary>The service with a sweeper in a hurry: photos with no check-in held after 2 s, a student's best shot accepted after 4 quiet seconds.</summary>
public sealed class QuickSweepApp() : CaptureIngestApp(new Dictionary<string, string?>
{
    ["CaptureIngest:HoldPendingAfter"] = "00:00:02",
    ["CaptureIngest:AutoAcceptAfter"] = "00:00:04",
    ["CaptureIngest:SweepInterval"] = "00:00:00.300",
})
{
    public static readonly TimeSpan HoldAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan AcceptAfter = TimeSpan.FromSeconds(4);
}

/// <summary>
/// What the sweeper does on its own: a photo whose shoot number never got a check-in is held for a person (never bound
/// by guess, never deleted), and a student nobody picked a shot for gets their best passing shot accepted, once.
/// </summary>
public sealed class SweeperTests(QuickSweepApp app, ITestOutputHelper output) : IClassFixture<QuickSweepApp>
{
    [Fact]
    public async Task A_photo_whose_shoot_number_never_gets_a_check_in_is_held_for_a_person_after_the_configured_time()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        await app.CheckInAsync(station, "B1-0001");
        var bound = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Jpeg());
        var orphan = await app.UploadOkAsync(op, station, "B1-0404", TestImages.Jpeg());
        Assert.Equal(("bound", "pending-binding"), (bound.Status, orphan.Status));

        var held = await Eventually.GetAsync(() => app.PhotoAsync(op, orphan.Id), p => p.Status != "pending-binding", TimeSpan.FromSeconds(30), "the orphan photo held");
        Assert.Equal("held", held.Status);
        Assert.Null(held.RegistrationId);
        Assert.Equal("No check-in for shoot number B1-0404 at this station and day arrived within 2 seconds: check the number on the sheet and bind the photo by hand.", held.HeldReason);
        var row = await app.InDbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == orphan.Id));
        Assert.True(row.HeldAt - row.UploadedAt >= QuickSweepApp.HoldAfter, $"held {row.HeldAt - row.UploadedAt} after the upload");

        // Announced once, listed for the school's admin with why; the photo with a check-in was left alone.
        var events = await app.InDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(PhotoHeld).FullName).ToListAsync());
        Assert.Single(events, m => JsonDocument.Parse(m.Body).RootElement.GetProperty("photoId").GetGuid() == orphan.Id);
        Assert.DoesNotContain(events, m => JsonDocument.Parse(m.Body).RootElement.GetProperty("photoId").GetGuid() == bound.Id);
        using var admin = app.Admin(station.School);
        var list = await admin.GetFromJsonAsync<List<PhotoView>>("/api/capture/held-photos");
        Assert.Contains(list!, p => p.Id == orphan.Id && p.HeldReason == held.HeldReason);
        Assert.Equal("bound", (await app.PhotoAsync(op, bound.Id)).Status);

        // A check-in that comes after the hold does not bind it behind the person's back: it stays held.
        await app.CheckInAsync(station, "B1-0404");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("held", (await app.PhotoAsync(op, orphan.Id)).Status);
    }

    [Fact]
    public async Task A_student_nobody_picked_a_shot_for_gets_the_sharpest_passing_shot_accepted_once_after_a_quiet_while()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var registration = await app.CheckInAsync(station, "B1-0002");
        var shots = new List<PhotoView>();
        foreach (var (photo, shot) in new[] { (TestPhotos.Good, 1), (TestPhotos.Softer, 2), (TestPhotos.Dark, 3) })
        {
            shots.Add(await app.UploadOkAsync(op, station, "B1-0002", TestImages.Unique(TestPhotos.Bytes(photo)), shot));
        }

        var judged = new List<PhotoView>();
        foreach (var shot in shots)
        {
            judged.Add(await Eventually.GetAsync(() => app.PhotoAsync(op, shot.Id), p => p.Verdict != "pending", TimeSpan.FromSeconds(60), $"shot {shot.ShotIndex} judged"));
        }

        var summary = string.Join(" | ", judged.Select(p => $"shot {p.ShotIndex}: {p.Verdict} {string.Join(',', p.FailedMeasures)} sharpness {Sharpness(p)}"));
        output.WriteLine(summary);
        Assert.True(judged.Select(p => p.Verdict).SequenceEqual(["passed", "passed", "failed"]), summary);
        // The first shot is the sharper one, so "the latest" would pick the wrong one.
        Assert.True(Sharpness(judged[0]) > Sharpness(judged[1]), $"sharpness {Sharpness(judged[0])} vs {Sharpness(judged[1])}");
        var sharpest = judged[0];

        // Nobody picks: after the quiet time the sweeper accepts the sharpest passing shot, and says it did.
        var accepted = await Eventually.GetAsync(
            () => app.InDbAsync(db => db.AcceptedPhotos.AsNoTracking().SingleOrDefaultAsync(a => a.RegistrationId == registration)),
            a => a is not null, TimeSpan.FromSeconds(60), "the best shot accepted");
        Assert.Equal(sharpest.Id, accepted!.PhotoId);
        Assert.Equal("system:auto-accept", accepted.AcceptedBy);
        Assert.True(accepted.AcceptedAt - judged.Max(p => p.UploadedAt) >= QuickSweepApp.AcceptAfter, "accepted only after the student's last shot was quiet for the configured time");
        Assert.True((await app.PhotoAsync(op, sharpest.Id)).Accepted);

        // Later sweeps do not accept again: one PhotoAccepted for the student, one decision in the audit.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var announced = await app.InDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(PhotoAccepted).FullName).ToListAsync());
        Assert.Single(announced, m => JsonDocument.Parse(m.Body).RootElement.GetProperty("registrationId").GetGuid() == registration);
        var decisions = await app.InDbAsync(db => db.Decisions.AsNoTracking().Where(d => shots.Select(s => s.Id).Contains(d.PhotoId)).ToListAsync());
        var decision = Assert.Single(decisions);
        Assert.Equal(("accept", sharpest.Id), (decision.Action, decision.PhotoId));
    }

    [Fact]
    public async Task A_student_whose_shots_all_failed_is_left_for_the_photographer()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var registration = await app.CheckInAsync(station, "B1-0003");
        var blurred = await app.UploadOkAsync(op, station, "B1-0003", TestImages.Unique(TestPhotos.Bytes(TestPhotos.Blurred)));
        Assert.Equal("failed", (await Eventually.GetAsync(() => app.PhotoAsync(op, blurred.Id), p => p.Verdict != "pending", TimeSpan.FromSeconds(60), "the shot judged")).Verdict);

        await Task.Delay(QuickSweepApp.AcceptAfter + TimeSpan.FromSeconds(1.5));
        Assert.False(await app.InDbAsync(db => db.AcceptedPhotos.AnyAsync(a => a.RegistrationId == registration)));
        Assert.False((await app.PhotoAsync(op, blurred.Id)).Accepted);
    }

    [Theory]
    [InlineData(600, "10 minutes")]
    [InlineData(60, "1 minute")]
    [InlineData(90, "90 seconds")]
    [InlineData(2, "2 seconds")]
    [InlineData(1, "1 second")]
    public void The_wait_in_a_hold_reason_reads_as_people_say_it(int seconds, string expected) =>
        Assert.Equal(expected, BindingRules.Duration(TimeSpan.FromSeconds(seconds)));

    private static double Sharpness(PhotoView photo) =>
        photo.Quality!.Value.GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "sharpness").GetProperty("value").GetDouble();
}
