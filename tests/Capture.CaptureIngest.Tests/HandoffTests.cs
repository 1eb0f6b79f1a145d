using Capture.CaptureIngest.Infrastructure;
using Capture.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Capture.CaptureIngest.Tests;

/// <summary>
/// The upload's own file goes to the receiving process's worker instead of being read back from the object store;
/// whatever goes wrong with that, the worker reads the stored object, and nothing is kept beyond its limits.
/// </summary>
public sealed class HandoffTests(CaptureIngestApp app) : IClassFixture<CaptureIngestApp>
{
    [Fact]
    public async Task The_receiving_process_standardises_the_upload_from_its_own_file_and_keeps_nothing_after()
    {
        var handoff = app.Service.Services.GetRequiredService<RawPhotoHandoff>();
        var station = await app.OpenStationAsync();
        await app.CheckInAsync(station, "B1-0301");
        using var op = app.Operator(station);
        var before = handoff.Taken;

        var photo = await app.UploadOkAsync(op, station, "B1-0301", await File.ReadAllBytesAsync(TestPhotos.Good));
        var judged = await Eventually.GetAsync(() => app.PhotoAsync(op, photo.Id), p => p.Verdict != "pending", TimeSpan.FromSeconds(60), "the verdict");

        Assert.Equal("passed", judged.Verdict);
        Assert.Equal(before + 1, handoff.Taken);
        Assert.False(File.Exists(Path.Combine(handoff.Folder, photo.Id.ToString("N"))));
        Assert.Equal(0, handoff.HeldBytes);
    }

    [Fact]
    public async Task A_kept_file_moves_to_the_worker_once_with_its_bytes()
    {
        using var folder = new TempFolder();
        var handoff = new RawPhotoHandoff(1 << 20, TimeSpan.FromMinutes(10), TimeProvider.System, Path.Combine(folder.Path, "handoff"));
        var id = Guid.NewGuid();
        var bytes = RandomBytes(1000);
        await using var spooled = Spool(folder, bytes);

        Assert.True(handoff.TryKeep(id, spooled));
        Assert.False(File.Exists(spooled.Path));
        Assert.Equal(1000, handoff.HeldBytes);

        var first = Path.Combine(folder.Path, "worker-1");
        var second = Path.Combine(folder.Path, "worker-2");
        Assert.True(handoff.TryTake(id, 1000, first));
        Assert.False(handoff.TryTake(id, 1000, second));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(first));
        Assert.False(File.Exists(second));
        Assert.Equal(0, handoff.HeldBytes);
        Assert.Equal(1, handoff.Taken);
    }

    [Fact]
    public async Task A_kept_file_of_another_size_than_the_photo_recorded_is_never_used()
    {
        using var folder = new TempFolder();
        var handoff = new RawPhotoHandoff(1 << 20, TimeSpan.FromMinutes(10), TimeProvider.System, Path.Combine(folder.Path, "handoff"));
        var id = Guid.NewGuid();
        await using var spooled = Spool(folder, RandomBytes(1000));
        Assert.True(handoff.TryKeep(id, spooled));

        var destination = Path.Combine(folder.Path, "worker");
        Assert.False(handoff.TryTake(id, 999, destination));
        Assert.False(File.Exists(destination));
        Assert.Empty(Directory.GetFiles(handoff.Folder));
        Assert.Equal(0, handoff.Taken);
    }

    [Fact]
    public async Task Nothing_is_kept_beyond_the_byte_limit_or_when_the_process_runs_no_workers()
    {
        using var folder = new TempFolder();
        var handoff = new RawPhotoHandoff(2500, TimeSpan.FromMinutes(10), TimeProvider.System, Path.Combine(folder.Path, "handoff"));
        await using var a = Spool(folder, RandomBytes(1000));
        await using var b = Spool(folder, RandomBytes(1000));
        await using var c = Spool(folder, RandomBytes(1000));
        Assert.True(handoff.TryKeep(Guid.NewGuid(), a));
        Assert.True(handoff.TryKeep(Guid.NewGuid(), b));
        Assert.False(handoff.TryKeep(Guid.NewGuid(), c));
        Assert.True(File.Exists(c.Path), "a file not kept stays the upload's, deleted with it");
        Assert.Equal(2000, handoff.HeldBytes);

        var off = new RawPhotoHandoff(0, TimeSpan.FromMinutes(10), TimeProvider.System, Path.Combine(folder.Path, "off"));
        Assert.False(off.TryKeep(Guid.NewGuid(), c));
        Assert.True(File.Exists(c.Path));
    }

    [Fact]
    public async Task A_file_nobody_took_in_time_is_deleted_and_a_discarded_one_at_once()
    {
        using var folder = new TempFolder();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2030-10-25T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var handoff = new RawPhotoHandoff(1 << 20, TimeSpan.FromMinutes(10), clock, Path.Combine(folder.Path, "handoff"));
        var (old, discarded, fresh) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var s = Spool(folder, RandomBytes(100)))
        {
            handoff.TryKeep(old, s);
        }

        await using (var s = Spool(folder, RandomBytes(100)))
        {
            handoff.TryKeep(discarded, s);
        }

        handoff.Discard(discarded);
        Assert.False(File.Exists(Path.Combine(handoff.Folder, discarded.ToString("N"))));

        clock.Advance(TimeSpan.FromMinutes(11));
        await using (var s = Spool(folder, RandomBytes(100)))
        {
            handoff.TryKeep(fresh, s);
        }

        Assert.False(File.Exists(Path.Combine(handoff.Folder, old.ToString("N"))), "swept when the next upload was kept");
        Assert.False(handoff.TryTake(old, 100, Path.Combine(folder.Path, "w-old")));
        Assert.True(handoff.TryTake(fresh, 100, Path.Combine(folder.Path, "w-fresh")));
        Assert.Equal(0, handoff.HeldBytes);
    }

    private static byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static SpooledUpload Spool(TempFolder folder, byte[] bytes)
    {
        var path = Path.Combine(folder.Path, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return new SpooledUpload(path, "", bytes.Length);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("handoff-test-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
