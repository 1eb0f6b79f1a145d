namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>The face and eye detector of the standardiser (<see cref="StandardizationOptions.FaceDetector"/>).</summary>
public enum FaceDetectorKind
{
    /// <summary>MediaPipe BlazeFace through ONNX Runtime: the default (docs/capture-standardization.md, "Detector choice").</summary>
    BlazeFace,

    /// <summary>OpenCV's Haar cascades: for comparison, and the fallback when the BlazeFace model is missing.</summary>
    Haar,
}
