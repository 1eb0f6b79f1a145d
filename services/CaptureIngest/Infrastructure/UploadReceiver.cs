using System.Security.Cryptography;
using Capture.CaptureIngest.Domain;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>An upload spooled to a temporary file, with its SHA-256 and size; deleting the file when disposed.</summary>
public sealed class SpooledUpload(string path, string sha256, long size) : IAsyncDisposable
{
    public string Path { get; } = path;

    public string Sha256 { get; } = sha256;

    public long Size { get; } = size;

    public FileStream OpenRead() => new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public ValueTask DisposeAsync()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // a temporary file; CleanStale removes what a crash leaves behind
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Why a body could not be spooled: too large (413) or not an image at all (415), found before reading it whole.</summary>
public sealed class UploadRefusedException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}

/// <summary>
/// Streams a request body to a temporary file in 64 KB pieces, hashing on the way: memory stays flat whatever the
/// size. The first bytes are sniffed before the rest is read (a PDF is refused at once), and the byte count is
/// checked as it grows (a chunked body without Content-Length cannot slip past the limit).
/// </summary>
public static class UploadReceiver
{
    public static string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "capture-ingest-uploads");

    /// <summary>Deletes spool files older than <paramref name="age"/> (left by a process that was killed); others may be in use by other instances.</summary>
    public static int CleanStale(TimeSpan age)
    {
        if (!Directory.Exists(Folder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in new DirectoryInfo(Folder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (DateTime.UtcNow - file.LastWriteTimeUtc > age)
            {
                try
                {
                    file.Delete();
                    removed++;
                }
                catch (IOException)
                {
                }
            }
        }

        return removed;
    }

    public static async Task<SpooledUpload> SpoolAsync(Stream body, long limit, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var path = System.IO.Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        var ok = false;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var sniffed = false;
                while (true)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(0, 64 * 1024), ct);
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                    if (total > limit)
                    {
                        throw new UploadRefusedException(StatusCodes.Status413PayloadTooLarge,
                            $"The photo is larger than {limit / (1024 * 1024)} MB, more than any capture camera makes: check the camera's file format (JPEG, not RAW).");
                    }

                    if (!sniffed && total >= 16)
                    {
                        sniffed = true;
                        var head = buffer.AsSpan(0, Math.Min(read, 32));
                        if (!ImageSniffer.IsJpeg(head) && !ImageSniffer.IsPng(head))
                        {
                            throw new UploadRefusedException(StatusCodes.Status415UnsupportedMediaType,
                                $"The body is {ImageSniffer.Describe(head)}, not a photo this service accepts: send the camera's JPEG (image/jpeg) or a PNG.");
                        }
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                await file.FlushAsync(ct);
            }

            ok = true;
            return new SpooledUpload(path, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            if (!ok)
            {
                File.Delete(path);
            }
        }
    }
}
