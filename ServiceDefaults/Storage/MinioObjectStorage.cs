using System.Net;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace Capture.ServiceDefaults.Storage;

/// <summary>
/// <see cref="IObjectStorage"/> on the Minio client. The bytes themselves travel through presigned URLs on a plain
/// HttpClient: a PUT with a streamed body of known length, and a GET read with <c>ResponseHeadersRead</c>. Both stream
/// for certain. Minio 7.0.0's own PutObject held about the whole file in memory (our memory test measured 48 MB for a
/// 50 MB file), and its ranged GETs fail; the client still signs the URLs and does the bucket and metadata calls.
/// </summary>
public sealed class MinioObjectStorage(IMinioClient minio, HttpClient http) : IObjectStorage
{
    public static readonly TimeSpan MaxPresignExpiry = TimeSpan.FromHours(1);

    public async Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        if (await minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken))
        {
            return;
        }

        try
        {
            await minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket), cancellationToken);
        }
        catch (MinioException)
        {
            // Another instance may have created it between our check and our create; anything else is a real failure.
            if (!await minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken))
            {
                throw;
            }
        }
    }

    public async Task PutAsync(string bucket, string key, Stream content, long length, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var url = await minio.PresignedPutObjectAsync(
            new PresignedPutObjectArgs().WithBucket(bucket).WithObject(key).WithExpiry((int)TimeSpan.FromMinutes(15).TotalSeconds));
        // The handler disposes the request content, and with it the stream: the caller's stream is the caller's to close.
        using var body = new StreamContent(new ReadThroughStream(content, onDispose: null), 64 * 1024);
        body.Headers.ContentLength = length;
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await http.PutAsync(url, body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new IOException($"Object storage refused {bucket}/{key}: {(int)response.StatusCode} {detail}");
        }
    }

    public async Task<StoredObject?> StatAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var stat = await minio.StatObjectAsync(new StatObjectArgs().WithBucket(bucket).WithObject(key), cancellationToken);
            return new StoredObject(key, stat.Size, stat.ContentType, stat.ETag);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
        catch (BucketNotFoundException)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var url = await PresignGetAsync(bucket, key, TimeSpan.FromMinutes(5));
        var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            throw new FileNotFoundException($"Object {bucket}/{key} does not exist.");
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new ReadThroughStream(body, () =>
        {
            body.Dispose();
            response.Dispose();
        });
    }

    public async Task<Uri> PresignGetAsync(string bucket, string key, TimeSpan expiry)
    {
        if (expiry <= TimeSpan.Zero || expiry > MaxPresignExpiry)
        {
            throw new ArgumentOutOfRangeException(nameof(expiry), expiry, $"A presigned URL lives between 1 second and {MaxPresignExpiry.TotalMinutes} minutes.");
        }

        var url = await minio.PresignedGetObjectAsync(
            new PresignedGetObjectArgs().WithBucket(bucket).WithObject(key).WithExpiry((int)Math.Ceiling(expiry.TotalSeconds)));
        return new Uri(url);
    }

    public async Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        await minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(key), cancellationToken);

    /// <summary>A read-only view of a stream whose disposal does only what <paramref name="onDispose"/> says.</summary>
    private sealed class ReadThroughStream(Stream inner, Action? onDispose) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                onDispose?.Invoke();
            }

            base.Dispose(disposing);
        }
    }
}
