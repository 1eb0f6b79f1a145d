namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// The standardised photo (<see cref="Jpeg"/>, 480×640, 20–40 KB, 300 dpi) and its quality report, or for
/// <see cref="StandardizationOutcome.Rejected"/> no output and a reason a photographer acts on.
/// </summary>
public sealed record StandardizationResult(
    StandardizationOutcome Outcome,
    byte[]? Jpeg,
    QualityReport Report,
    int SourceWidth,
    int SourceHeight,
    string? RejectReason)
{
    /// <summary>The JPEG quality the encoder chose (0 when rejected).</summary>
    public int JpegQuality { get; init; }

    /// <summary>Milliseconds per stage (header, detect, render, measure, encode), for metrics and benchmarks.</summary>
    public IReadOnlyDictionary<string, double> StageMilliseconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Where the face was found in the source (display orientation), for diagnostics; null when rejected.</summary>
    public string? FaceBox { get; init; }

    /// <summary>The rectangle of the source (display pixels) that became the 480×640 output; null when rejected. For benchmarks and diagnostics.</summary>
    internal CropRect? Crop { get; init; }

    /// <summary>The shrink-on-load factor the source was decoded at (1 for formats other than JPEG).</summary>
    internal int DecodeShrink { get; init; } = 1;

    public static StandardizationResult Reject(string reason, int sourceWidth = 0, int sourceHeight = 0, QualityReport? report = null) =>
        new(StandardizationOutcome.Rejected, null, report ?? QualityReport.Empty, sourceWidth, sourceHeight, reason);
}
