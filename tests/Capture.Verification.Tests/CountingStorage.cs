using System.Collections.Concurrent;
using Capture.ServiceDefaults.Storage;

namespace Capture.Verification.Tests;

/// <summary>The real object storage, counting the uploads of each object.</summary>
public sealed class CountingStorage(IObjectStorage inner) : IObjectStorage
{
    private readonly ConcurrentDictionary<string, int> puts = new();

    public int Puts(string bucket, string key) => puts.GetValueOrDefault(bucket + "/" + key);

    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default) => inner.EnsureBucketAsync(bucket, cancellationToken);

    public Task PutAsync(string bucket, string key, Stream content, long length, string contentType, CancellationToken cancellationToken = default)
    {
        puts.AddOrUpdate(bucket + "/" + key, 1, (_, n) => n + 1);
        return inner.PutAsync(bucket, key, content, length, contentType, cancellationToken);
    }

    public Task<StoredObject?> StatAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.StatAsync(bucket, key, cancellationToken);

    public Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(bucket, key, cancellationToken);

    public Task<Uri> PresignGetAsync(string bucket, string key, TimeSpan expiry) => inner.PresignGetAsync(bucket, key, expiry);

    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(bucket, key, cancellationToken);
}
