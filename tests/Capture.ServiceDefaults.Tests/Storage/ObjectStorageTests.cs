using System.Net;
using System.Security.Cryptography;
using Capture.ServiceDefaults.Storage;
using Capture.Testing;

namespace Capture.ServiceDefaults.Tests.Storage;

[CollectionDefinition(nameof(MemorySensitive), DisableParallelization = true)]
public sealed class MemorySensitive;

/// <summary>Against the S3 server the test run started. Not run in parallel with others: it measures this process's heap.</summary>
[Collection(nameof(MemorySensitive))]
public sealed class ObjectStorageTests
{
    private const long Megabyte = 1024 * 1024;

    [Fact]
    public async Task A_50_MB_stream_round_trips_byte_for_byte()
    {
        var (storage, bucket) = await StorageAsync();
        var key = $"raw/{Guid.NewGuid():N}/张三-0137.jpg";

        await using var upload = new GeneratedStream(50 * Megabyte, seed: 7);
        await storage.PutAsync(bucket, key, upload, upload.Length, "image/jpeg");

        var stat = await storage.StatAsync(bucket, key);
        Assert.NotNull(stat);
        Assert.Equal(50 * Megabyte, stat.Length);

        await using var download = await storage.OpenReadAsync(bucket, key);
        var downloaded = await SHA256.HashDataAsync(download);
        Assert.Equal(Convert.ToHexString(upload.Sha256()), Convert.ToHexString(downloaded));
    }

    [Fact]
    public async Task Memory_held_while_storing_and_reading_does_not_grow_with_the_file_size()
    {
        var (storage, bucket) = await StorageAsync();
        var small = await PeakLiveBytesAsync(storage, bucket, 5 * Megabyte);
        var large = await PeakLiveBytesAsync(storage, bucket, 50 * Megabyte);

        // Ten times the file must not cost anything like ten times the memory: streaming holds one part (5 MiB)
        // and socket buffers, whatever the size. Buffering the whole file would add at least 45 MB here.
        Assert.True(large < 30 * Megabyte, $"peak live heap for a 50 MB file was {large / Megabyte} MB");
        Assert.True(large - small < 15 * Megabyte, $"peak live heap grew from {small / Megabyte} MB (5 MB file) to {large / Megabyte} MB (50 MB file)");
    }

    [Fact]
    public async Task A_presigned_url_serves_the_object_and_a_missing_object_has_no_stat()
    {
        var (storage, bucket) = await StorageAsync();
        var key = $"standardized/{Guid.NewGuid():N}.jpg";
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await storage.PutAsync(bucket, key, new MemoryStream(bytes), bytes.Length, "image/jpeg");

        var url = await storage.PresignGetAsync(bucket, key, TimeSpan.FromMinutes(2));
        Assert.Contains("X-Amz-Expires=120", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(bytes, await http.GetByteArrayAsync(url));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.PresignGetAsync(bucket, key, TimeSpan.FromDays(1)));

        await storage.DeleteAsync(bucket, key);
        Assert.Null(await storage.StatAsync(bucket, key));
        await Assert.ThrowsAsync<FileNotFoundException>(() => storage.OpenReadAsync(bucket, key));
    }

    private static async Task<long> PeakLiveBytesAsync(IObjectStorage storage, string bucket, long size)
    {
        var key = $"memory/{Guid.NewGuid():N}";
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A full collection first, so the sample is what is really held, not garbage waiting to be collected.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                await Task.Delay(15);
            }
        });

        await using (var upload = new GeneratedStream(size, seed: 11))
        {
            await storage.PutAsync(bucket, key, upload, size, "application/octet-stream");
        }

        await using (var download = await storage.OpenReadAsync(bucket, key))
        {
            await download.CopyToAsync(Stream.Null);
        }

        await stop.CancelAsync();
        await sampler;
        await storage.DeleteAsync(bucket, key);
        return peak;
    }

    private static async Task<(IObjectStorage Storage, string Bucket)> StorageAsync()
    {
        var endpoints = await TestInfrastructure.GetAsync();
        var settings = ObjectStorageSettings.Parse(endpoints.Photos);
        var storage = new MinioObjectStorage(ObjectStorageExtensions.CreateClient(settings), new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
        var bucket = $"test-{Guid.NewGuid():N}"[..30];
        await storage.EnsureBucketAsync(bucket);
        await storage.EnsureBucketAsync(bucket); // idempotent
        return (storage, bucket);
    }
}

public sealed class ObjectStorageSettingsTests
{
    [Fact]
    public void Parses_the_aspire_minio_connection_string()
    {
        var settings = ObjectStorageSettings.Parse("Endpoint=http://127.0.0.1:9000;AccessKey=capture;SecretKey=s3cret=x");
        Assert.Equal(new Uri("http://127.0.0.1:9000"), settings.Endpoint);
        Assert.Equal("capture", settings.AccessKey);
        Assert.Equal("s3cret=x", settings.SecretKey);
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("AccessKey=a;SecretKey=b", "lacks 'Endpoint='")]
    [InlineData("Endpoint=http://h:1;SecretKey=b", "lacks 'AccessKey='")]
    [InlineData("Endpoint=ftp://h:1;AccessKey=a;SecretKey=b", "must be an http:// or https:// URL")]
    public void Refuses_an_incomplete_connection_string_saying_what_is_missing(string? value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ObjectStorageSettings.Parse(value));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
