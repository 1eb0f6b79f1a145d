using System.Security.Cryptography;

namespace Capture.StationAgent.Core;

/// <summary>
/// Watches the folder the tethered camera writes into (by polling: file-system notifications are lost on network
/// drives and when a buffer overflows, and a poll also finds what arrived while the agent was not running). A file is
/// recorded once its size and time have not changed for <see cref="AgentOptions.StableFor"/> and it reads as a whole
/// JPEG or PNG; a file that is no image is recorded as such, reported and left where it is.
/// </summary>
public sealed class HotFolderWatcher(AgentOptions options, Journal journal, TimeProvider time)
{
    private readonly Dictionary<string, (long Size, long Ticks, DateTimeOffset Since, bool Reported)> candidates = [];

    /// <summary>A new shot is in the journal (the uploader picks it up).</summary>
    public event Action<Shot>? ShotRecorded;

    /// <summary>A file that will not be sent: not an image, or taken before any shoot number.</summary>
    public event Action<Shot>? FileReported;

    /// <summary>A file has waited long while still incomplete (the camera or cable may have stopped mid-file).</summary>
    public event Action<string, string>? FileIncomplete;

    public DateTimeOffset? LastFileAt { get; private set; }

    public int Incomplete => candidates.Count;

    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.HotFolder);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                ScanOnce(ct);
            }
            catch (IOException)
            {
                // The folder is briefly unreadable (camera reconnecting): look again at the next poll.
            }

            await Task.Delay(options.PollInterval, time, ct);
        }
    }

    /// <summary>One pass over the folder: records every file that has become complete since the last pass.</summary>
    public void ScanOnce(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var files = new DirectoryInfo(options.HotFolder).EnumerateFiles()
            .Where(f => !Ignored(f.Name))
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var present = new HashSet<string>(files.Select(f => f.FullName));
        foreach (var gone in candidates.Keys.Where(k => !present.Contains(k)).ToList())
        {
            candidates.Remove(gone);
        }

        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            file.Refresh();
            if (!file.Exists)
            {
                continue;
            }

            var size = file.Length;
            var ticks = file.LastWriteTimeUtc.Ticks;
            if (journal.FindByFile(file.FullName, size, ticks) is not null)
            {
                candidates.Remove(file.FullName);
                continue;
            }

            if (!candidates.TryGetValue(file.FullName, out var seen) || seen.Size != size || seen.Ticks != ticks)
            {
                candidates[file.FullName] = (size, ticks, now, false);
                LastFileAt = now;
                continue;
            }

            if (now - seen.Since < options.StableFor)
            {
                continue;
            }

            ImageFileCheck check;
            try
            {
                check = ImageFile.Check(file.FullName);
            }
            catch (IOException)
            {
                continue; // still locked by the camera software
            }

            var takenAt = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
            switch (check.State)
            {
                case ImageFileState.Complete:
                    var sha = Sha256Of(file.FullName);
                    file.Refresh();
                    if (file.Length != size || file.LastWriteTimeUtc.Ticks != ticks)
                    {
                        candidates[file.FullName] = (file.Length, file.LastWriteTimeUtc.Ticks, now, false);
                        continue;
                    }

                    candidates.Remove(file.FullName);
                    var shot = journal.RecordImage(file.FullName, size, ticks, takenAt, sha, check.ContentType!, now);
                    ShotRecorded?.Invoke(shot);
                    if (shot.State == ShotState.Unassigned)
                    {
                        FileReported?.Invoke(shot);
                    }

                    break;
                case ImageFileState.NotImage:
                    candidates.Remove(file.FullName);
                    FileReported?.Invoke(journal.RecordNotImage(file.FullName, size, ticks, takenAt, check.Description, now));
                    break;
                default:
                    if (!seen.Reported && now - seen.Since > options.IncompleteWarningAfter)
                    {
                        candidates[file.FullName] = seen with { Reported = true };
                        FileIncomplete?.Invoke(file.FullName, check.Description);
                    }

                    break;
            }
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // Hidden files, partial downloads and the camera software's temporary files are not shots.
    private static bool Ignored(string name) =>
        name.StartsWith('.') || name.EndsWith('~') ||
        name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase) || name.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase);
}
