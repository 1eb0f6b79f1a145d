namespace Capture.ServiceDefaults.Storage;

/// <summary>
/// Photos and exports in S3-compatible object storage (MinIO in production). Uploads and downloads stream:
/// no method holds a whole object in memory, so a 50 MB camera file costs a few MB of buffers.
/// </summary>
public interface IObjectStorage
{
    Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="content"/> of exactly <paramref name="length"/> bytes; returns only once the store has it.</summary>
    Task PutAsync(string bucket, string key, Stream content, long length, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Size, type and ETag of an object, or <c>null</c> when there is none.</summary>
    Task<StoredObject?> StatAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for reading as a stream straight from the store. Dispose it.</summary>
    Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>A URL that lets its holder GET the object until it expires (keep the expiry short: it is personal data).</summary>
    Task<Uri> PresignGetAsync(string bucket, string key, TimeSpan expiry);

    Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default);
}

public sealed record StoredObject(string Key, long Length, string ContentType, string ETag);
