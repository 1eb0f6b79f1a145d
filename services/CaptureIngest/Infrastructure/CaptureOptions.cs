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

    /// <summary>
    /// The collector's background colour where a campaign or school uses another than CHSI's light blue (#64C5FF): keys
    /// are a campaign id or a school code, values <c>#RRGGBB</c> (e.g. <c>CaptureIngest__BackgroundColours__10385=#4A90E2</c>).
    /// </summary>
    public Dictionary<string, string> BackgroundColours { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The background colour a photo is judged against: its campaign's, else its school's, else the default (null).</summary>
    public string? BackgroundColourFor(Guid? campaignId, string schoolCode) =>
        campaignId is { } c && BackgroundColours.TryGetValue(c.ToString(), out var byCampaign) ? byCampaign
        : BackgroundColours.TryGetValue(schoolCode, out var bySchool) ? bySchool
        : null;

    /// <summary>
    /// At most this many bytes of uploads are kept on local disk for this process's own workers (<see cref="RawPhotoHandoff"/>)
    /// instead of being read back from the object store; 0 turns the hand-off off. Default 1 GiB (about 100 camera JPEGs).
    /// </summary>
    public long HandoffMaxBytes { get; set; } = 1L << 30;

    /// <summary>A kept upload no worker took within this time is deleted (the worker reads the stored object instead).</summary>
    public TimeSpan HandoffMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    public bool RunsApi => !string.Equals(Role, "worker", StringComparison.OrdinalIgnoreCase);

    public bool RunsWorkers => !string.Equals(Role, "api", StringComparison.OrdinalIgnoreCase);
}
