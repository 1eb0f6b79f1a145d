namespace Capture.StationAgent.Core;

/// <summary>How one agent runs: which gateway and station, the camera's folder, and where the journal lives.</summary>
public sealed record AgentOptions
{
    public required Uri Server { get; init; }

    public required Guid StationId { get; init; }

    /// <summary>The folder the tethered camera writes into; confirmed files move to <c>sent/yyyy-MM-dd/</c> inside it.</summary>
    public required string HotFolder { get; init; }

    /// <summary>The agent's data folder (journal.db).</summary>
    public required string DataFolder { get; init; }

    /// <summary>A check-in names this session (default: the open session at the venue around now).</summary>
    public Guid? SessionId { get; init; }

    /// <summary>Mark the first frame after each scan as the capture-code frame (keyframe=true).</summary>
    public bool KeyframeAfterScan { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a file's size and time must stay unchanged before it is read.</summary>
    public TimeSpan StableFor { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan IncompleteWarningAfter { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan FirstRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Warn when the camera has written nothing for this long after a scan.</summary>
    public TimeSpan CameraSilentAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Warn when the disk holding the hot folder has less free space than this.</summary>
    public long LowDiskBytes { get; init; } = 2L * 1024 * 1024 * 1024;
}
