using System.Collections.Concurrent;
using Capture.ServiceDefaults.Storage;

namespace Capture.Verification.Tests;

/// <summary>
/// The real object storage, counting the uploads of each object; it can be told to refuse the next uploads to a bucket
/// as a store out of reach would (the upload never reaches the store and is not counted).
/// </summary>
public sealed class CountingStorage(IObjectStorage inner) : IObjectStorage
{
    private readonly ConcurrentDictionary<string, int> puts = new();
    private readonly ConcurrentDictionary<string, int> refusals = new();

    public int Puts(string bucket, string key) => puts.GetValueOrDefault(bucket + "/" + key);

    /// <summary>The next <paramref name="count"/> uploads to <paramref name="bucket"/> fail with a connection error (0: none).</summary>
    public void RefuseUploads(string bucket, int count) => refusals[bucket] = count;

    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default) => inner.EnsureBucketAsync(bucket, cancellationToken);

    public Task PutAsync(string bucket, string key, Stream content, long length, string contentType, CancellationToken cancellationToken = default)
    {
        if (refusals.GetValueOrDefault(bucket) > 0 && refusals.AddOrUpdate(bucket, 0, (_, n) => n - 1) >= 0)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:9) (injected: the store is out of reach)");
        }

        puts.AddOrUpdate(bucket + "/" + key, 1, (_, n) => n + 1);
        return inner.PutAsync(bucket, key, content, length, contentType, cancellationToken);
    }

    public Task<StoredObject?> StatAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.StatAsync(bucket, key, cancellationToken);

    public Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(bucket, key, cancellationToken);

    public Task<Uri> PresignGetAsync(string bucket, string key, TimeSpan expiry) => inner.PresignGetAsync(bucket, key, expiry);

    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(bucket, key, cancellationToken);
}
