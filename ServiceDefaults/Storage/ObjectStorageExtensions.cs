using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Minio;

namespace Capture.ServiceDefaults.Storage;

public static class ObjectStorageExtensions
{
    public const string ConnectionName = "photos";
    private const string HttpClientName = "object-storage";

    /// <summary>Registers <see cref="IObjectStorage"/> from <c>ConnectionStrings:photos</c>, creates the buckets at start and adds the store to readiness.</summary>
    public static IHostApplicationBuilder AddObjectStorage(this IHostApplicationBuilder builder, params string[] buckets)
    {
        var settings = ObjectStorageSettings.Parse(builder.Configuration.GetConnectionString(ConnectionName));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ => CreateClient(settings));
        // Downloads are long streams: no resilience handler timeout may cut them.
#pragma warning disable EXTEXP0001 // evaluation API, but the one way to opt a client out of the defaults' handler
        builder.Services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<IObjectStorage>(sp =>
            new MinioObjectStorage(sp.GetRequiredService<IMinioClient>(), sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        builder.Services.AddHostedService(sp => new BucketInitializer(sp.GetRequiredService<IObjectStorage>(), buckets));
        builder.Services.AddHealthChecks().AddCheck<ObjectStorageHealthCheck>(ConnectionName, tags: [Extensions.ReadyTag]);
        return builder;
    }

    public static IMinioClient CreateClient(ObjectStorageSettings settings) =>
        new MinioClient()
            .WithEndpoint(settings.Endpoint.Host, settings.Endpoint.Port)
            .WithCredentials(settings.AccessKey, settings.SecretKey)
            .WithSSL(settings.Endpoint.Scheme == "https")
            .Build();

    private sealed class BucketInitializer(IObjectStorage storage, string[] buckets) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var bucket in buckets)
            {
                await storage.EnsureBucketAsync(bucket, cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ObjectStorageHealthCheck(IMinioClient minio) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await minio.ListBucketsAsync(timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Object storage does not answer.", ex);
            }
        }
    }
}
