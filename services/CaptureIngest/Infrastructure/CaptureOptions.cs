namespace Capture.CaptureIngest.Infrastructure;

/// <summary>Configuration section <c>CaptureIngest</c> (environment <c>CaptureIngest__Role</c> etc.).</summary>
public sealed class CaptureOptions
{
    /// <summary><c>all</c> (default): API and standardisation workers; <c>api</c>: uploads and reads only; <c>worker</c>: standardisation only.</summary>
    public string Role { get; set; } = "all";

    /// <summary>A photo whose shoot number has no check-in after this long is held for a person (the event is normally there in under a second).</summary>
    public TimeSpan HoldPendingAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A bound student with a passing shot and no newer shot for this long gets their best passing shot accepted automatically.</summary>
    public TimeSpan AutoAcceptAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often the sweeper looks for photos to hold or accept.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Standardisation workers per process (images are CPU-bound: about one per core).</summary>
    public int Workers { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>How long a preview URL of a standardised photo lives.</summary>
    public TimeSpan PreviewLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public bool RunsApi => !string.Equals(Role, "worker", StringComparison.OrdinalIgnoreCase);

    public bool RunsWorkers => !string.Equals(Role, "api", StringComparison.OrdinalIgnoreCase);
}
