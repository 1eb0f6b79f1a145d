using Capture.CaptureIngest.Domain.Standardization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// <c>face-detector</c> on <c>/health</c> and <c>/health/ready</c> of a process that standardises: Healthy naming the
/// detector; Degraded (still ready: photos are standardised, only slower) when BlazeFace was configured but its model is
/// missing and Haar runs instead, with the reason and the fix.
/// </summary>
public sealed class FaceDetectorHealthCheck(PhotoStandardizer standardizer) : IHealthCheck
{
    public const string Name = "face-detector";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(standardizer.FaceDetectorWarning is { } warning
            ? HealthCheckResult.Degraded(warning)
            : HealthCheckResult.Healthy($"{standardizer.FaceDetector} finds the faces"));
}
