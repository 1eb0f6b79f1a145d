using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// Hands an upload's spooled file to this process's own standardisation workers, so that a worker does not read back
/// from the object store the bytes this process has just written there (with role <c>all</c>, the usual case, that
/// read-back was a second full transfer of every photo). The object store stays the photo's record: the raw object is
/// stored and committed before the upload is answered, exactly as before, and a worker that finds no file here (another
/// instance or a <c>worker</c>-role process took the message, the process restarted, the file was swept) reads the
/// object as before. Bounded: at most <see cref="CaptureOptions.HandoffMaxBytes"/> of files are kept (a backlog beyond
/// that is read back from storage), and a file nobody took within <see cref="CaptureOptions.HandoffMaxAge"/> is deleted.
/// </summary>
public sealed class RawPhotoHandoff
{
    private readonly ConcurrentDictionary<Guid, Entry> held = new();
    private readonly long maxBytes;
    private readonly TimeSpan maxAge;
    private readonly TimeProvider time;
    private long bytes;
    private long taken;

    public RawPhotoHandoff(IOptions<CaptureOptions> options, TimeProvider time)
        : this(options.Value.RunsWorkers ? options.Value.HandoffMaxBytes : 0, options.Value.HandoffMaxAge, time, System.IO.Path.Combine(UploadReceiver.Folder, "handoff"))
    {
    }

    internal RawPhotoHandoff(long maxBytes, TimeSpan maxAge, TimeProvider time, string folder)
    {
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.time = time;
        Folder = folder;
    }

    /// <summary>Where kept files wait (beside the spool files, on the same file system, so keeping one is a rename).</summary>
    public string Folder { get; }

    /// <summary>Bytes of files kept now.</summary>
    public long HeldBytes => Interlocked.Read(ref bytes);

    /// <summary>Files a worker took instead of reading the object store (since start).</summary>
    public long Taken => Interlocked.Read(ref taken);

    /// <summary>
    /// Moves the spooled upload's file here for photo <paramref name="photoId"/>; false (the file stays where it was)
    /// when this process runs no workers, or keeping it would exceed the limit.
    /// </summary>
    public bool TryKeep(Guid photoId, SpooledUpload spooled)
    {
        Sweep();
        if (maxBytes <= 0 || Interlocked.Add(ref bytes, spooled.Size) > maxBytes)
        {
            if (maxBytes > 0)
            {
                Interlocked.Add(ref bytes, -spooled.Size);
            }

            return false;
        }

        var path = System.IO.Path.Combine(Folder, photoId.ToString("N"));
        try
        {
            Directory.CreateDirectory(Folder);
            File.Move(spooled.Path, path);
        }
        catch (IOException)
        {
            Interlocked.Add(ref bytes, -spooled.Size);
            return false;
        }

        if (!held.TryAdd(photoId, new Entry(path, spooled.Size, time.GetUtcNow())))
        {
            Interlocked.Add(ref bytes, -spooled.Size);
            TryDelete(path);
            return false;
        }

        return true;
    }

    /// <summary>Forgets (and deletes) the file kept for a photo that was not recorded after all.</summary>
    public void Discard(Guid photoId)
    {
        if (held.TryRemove(photoId, out var entry))
        {
            Interlocked.Add(ref bytes, -entry.Size);
            TryDelete(entry.Path);
        }
    }

    /// <summary>
    /// Moves the file kept for <paramref name="photoId"/> to <paramref name="destination"/> (the worker's own temporary
    /// file) when there is one of exactly <paramref name="expectedSize"/> bytes; false: read the object store.
    /// </summary>
    public bool TryTake(Guid photoId, long expectedSize, string destination)
    {
        if (!held.TryRemove(photoId, out var entry))
        {
            return false;
        }

        Interlocked.Add(ref bytes, -entry.Size);
        try
        {
            if (entry.Size != expectedSize || new FileInfo(entry.Path).Length != expectedSize)
            {
                TryDelete(entry.Path);
                return false;
            }

            File.Move(entry.Path, destination);
        }
        catch (IOException)
        {
            TryDelete(entry.Path);
            return false;
        }

        Interlocked.Increment(ref taken);
        return true;
    }

    /// <summary>Deletes the files nobody took within the age limit (their photos are read from storage if ever needed).</summary>
    public int Sweep()
    {
        var removed = 0;
        var cutoff = time.GetUtcNow() - maxAge;
        foreach (var (id, entry) in held)
        {
            if (entry.KeptAt < cutoff && held.TryRemove(id, out var old))
            {
                Interlocked.Add(ref bytes, -old.Size);
                TryDelete(old.Path);
                removed++;
            }
        }

        return removed;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // UploadReceiver.CleanStale removes what is left behind
        }
    }

    private sealed record Entry(string Path, long Size, DateTimeOffset KeptAt);
}
