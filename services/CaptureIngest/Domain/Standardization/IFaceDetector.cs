namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Finds the faces in a decoded photo. Implementations are thread-safe: one instance serves every worker of a process.
/// </summary>
internal interface IFaceDetector : IDisposable
{
    /// <summary>What finds the faces, for logs, health and diagnostics: <c>BlazeFace</c> or <c>Haar</c>.</summary>
    FaceDetectorKind Kind { get; }

    /// <summary>
    /// Every face found, in display pixels of the photo, as boxes in the standardiser's face-box convention (see
    /// <see cref="DetectedFace"/>), with both eyes when they were found. Adds its stages' wall times to <paramref name="timings"/>.
    /// </summary>
    IReadOnlyList<DetectedFace> Detect(DecodedPhoto photo, IDictionary<string, double> timings, CancellationToken ct);
}
