namespace Capture.StationAgent.Core;

/// <summary>What the status line shows; written by the uploader and the feed, read by the screen.</summary>
public sealed class AgentStatus
{
    public volatile bool Online;

    public bool FeedConnected { get; set; }

    public string? LastError { get; set; }

    public double? LastUploadBytesPerSecond { get; set; }

    public DateTimeOffset? LastUploadAt { get; set; }

    public DateTimeOffset? NextRetryAt { get; set; }
}

/// <summary>One reading of the status line.</summary>
public sealed record StatusSnapshot(
    bool Online,
    bool FeedConnected,
    int QueueLength,
    DateTimeOffset? OldestUnsent,
    double? LastUploadBytesPerSecond,
    string? CurrentShootNumber,
    string? LastError,
    IReadOnlyList<string> Warnings);
