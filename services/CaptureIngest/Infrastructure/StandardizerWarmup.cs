using Capture.CaptureIngest.Domain.Standardization;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// Makes the standardiser when a worker process starts, not on its first photo: the face detector's model is loaded before
/// the first verdict is due, and a missing model is a warning in the start-up log rather than a surprise on capture day.
/// </summary>
public sealed partial class StandardizerWarmup(PhotoStandardizer standardizer, ILogger<StandardizerWarmup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (standardizer.FaceDetectorWarning is { } warning)
        {
            LogFallback(warning);
        }
        else
        {
            LogDetector(standardizer.FaceDetector);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "{Warning}")]
    private partial void LogFallback(string warning);

    [LoggerMessage(LogLevel.Information, "Photo standardisation finds faces with {Detector}")]
    private partial void LogDetector(FaceDetectorKind detector);
}
