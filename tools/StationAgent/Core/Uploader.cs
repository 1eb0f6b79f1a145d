using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Capture.StationAgent.Core;

/// <summary>
/// Sends the journal's shots in the order they were taken, one at a time, retrying with exponential back-off while the
/// server cannot be reached. A file moves (into <c>sent/yyyy-MM-dd/</c> of the hot folder, never away) only after the
/// server has confirmed it with the same SHA-256. A shot found in state "uploading" at start may have been stored just
/// before the agent stopped: the server is asked first, so it is not sent twice.
/// </summary>
public sealed class Uploader(AgentOptions options, Journal journal, CaptureApi api, AgentStatus status, TimeProvider time)
{
    private readonly SemaphoreSlim wake = new(0);

    public event Action<Shot>? ShotStored;

    public event Action<Shot, string>? ShotRefused;

    /// <summary>Wakes the uploader now (a new shot, or the operator asked to retry).</summary>
    public void Nudge()
    {
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        MoveConfirmedFiles();
        var failures = 0;
        var recovering = journal.Unsent().Where(s => s.State == ShotState.Uploading).Select(s => s.Id).ToHashSet();
        while (!ct.IsCancellationRequested)
        {
            var next = journal.Unsent(1).FirstOrDefault();
            if (next is null)
            {
                await wake.WaitAsync(TimeSpan.FromSeconds(1), ct);
                continue;
            }

            try
            {
                await SendAsync(next, recovering.Remove(next.Id), ct);
                status.Online = true;
                status.LastError = null;
                failures = 0;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException or SignInException or RetryLaterException)
            {
                status.Online = e is RetryLaterException;
                status.LastError = e.Message;
                journal.MarkAttemptFailed(next.Id, e.Message);
                recovering.Add(next.Id);
                var delay = Backoff(failures++);
                status.NextRetryAt = time.GetUtcNow() + delay;
                await wake.WaitAsync(delay, ct);
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var seconds = options.FirstRetryAfter.TotalSeconds * Math.Pow(2, Math.Min(failures, 10));
        seconds = Math.Min(seconds, options.MaxRetryAfter.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private async Task SendAsync(Shot shot, bool mayBeStored, CancellationToken ct)
    {
        if (!File.Exists(shot.Path))
        {
            journal.MarkLost(shot.Id, "the file is no longer in the hot folder: it was moved or deleted before the server had it");
            ShotRefused?.Invoke(journal.Find(shot.Id)!, "file missing");
            return;
        }

        if (mayBeStored && await FindOnServerAsync(shot, ct) is { } known)
        {
            Confirm(shot, known, null);
            return;
        }

        // The bytes sent are the bytes recorded: read once into memory (photos are a few MB) and checked against the journal.
        var bytes = await File.ReadAllBytesAsync(shot.Path, ct);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != shot.Sha256)
        {
            journal.MarkLost(shot.Id, "the file changed after it was recorded: not sent (its SHA-256 differs from the journal's)");
            ShotRefused?.Invoke(journal.Find(shot.Id)!, "file changed");
            return;
        }

        journal.MarkUploading(shot.Id);
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30) + TimeSpan.FromSeconds(bytes.Length / 100_000.0));
        var answer = await api.UploadAsync(options.StationId, shot, bytes, timeout.Token);
        watch.Stop();
        if (answer.Stored)
        {
            if (!string.Equals(answer.Sha256, shot.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new RetryLaterException($"the server confirmed other bytes (SHA-256 {answer.Sha256}) than were sent: sending again");
            }

            status.LastUploadBytesPerSecond = bytes.Length / Math.Max(watch.Elapsed.TotalSeconds, 0.001);
            status.LastUploadAt = time.GetUtcNow();
            Confirm(shot, answer.PhotoId!.Value, answer.Verdict);
            return;
        }

        if (answer.RefusedForGood)
        {
            var why = $"{(int)answer.Status}: {answer.Detail}";
            journal.MarkRefused(shot.Id, why);
            ShotRefused?.Invoke(journal.Find(shot.Id)!, why);
            return;
        }

        throw new RetryLaterException($"the server did not store it ({(int)answer.Status}): {answer.Detail}");
    }

    private async Task<Guid?> FindOnServerAsync(Shot shot, CancellationToken ct)
    {
        var day = DateOnly.FromDateTime(shot.TakenAt.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var photos = await api.PhotosAsync(options.StationId, shot.ShootNumber!, day, ct);
        return photos.Where(p => string.Equals(p.GetProperty("sha256").GetString(), shot.Sha256, StringComparison.OrdinalIgnoreCase))
            .Select(p => (Guid?)p.GetProperty("id").GetGuid()).FirstOrDefault();
    }

    private void Confirm(Shot shot, Guid photoId, string? verdict)
    {
        journal.MarkStored(shot.Id, photoId, verdict);
        MoveToSent(journal.Find(shot.Id)!);
        ShotStored?.Invoke(journal.Find(shot.Id)!);
    }

    private void MoveConfirmedFiles()
    {
        foreach (var shot in journal.StoredNotMoved())
        {
            MoveToSent(shot);
        }
    }

    private void MoveToSent(Shot shot)
    {
        if (!File.Exists(shot.Path))
        {
            return;
        }

        var folder = Path.Combine(options.HotFolder, "sent", shot.TakenAt.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, shot.FileName);
        if (File.Exists(target))
        {
            // A camera that restarts its counter reuses names: keep both.
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(shot.FileName)}-{shot.Id}{Path.GetExtension(shot.FileName)}");
        }

        try
        {
            File.Move(shot.Path, target);
            journal.MarkSent(shot.Id, target);
        }
        catch (IOException)
        {
            // Locked by another program: it stays in the hot folder (already stored) and moves at the next start.
        }
    }
}

/// <summary>The server could not store the photo now (503, a gateway error): send it again later.</summary>
public sealed class RetryLaterException(string message) : Exception(message);
