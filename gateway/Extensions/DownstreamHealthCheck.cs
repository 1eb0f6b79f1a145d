using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Capture.Gateway.Extensions;

/// <summary>Asks a downstream service's own <c>/health</c>; the gateway's health lists each service by its resource name.</summary>
public sealed class DownstreamHealthCheck(IHttpClientFactory clients, string? address) : IHealthCheck
{
    public const string HttpClientName = "downstream-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (address is null)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"No address configured: set services:{context.Registration.Name}:http:0.");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await clients.CreateClient(HttpClientName)
                .GetAsync(new Uri(new Uri(address), Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath), timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy(address)
                : new HealthCheckResult(context.Registration.FailureStatus, $"{address} answered {(int)response.StatusCode}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{address} does not answer.", ex);
        }
    }
}
