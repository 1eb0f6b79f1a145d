namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>The detected face mapped into the standardised photo's pixels.</summary>
internal sealed record OutputGeometry(
    double FaceX, double FaceY, double FaceWidth, double FaceHeight,
    double EyeY, bool EyesFound, double? RollDegrees,
    double HairTop, bool HairEstimated);
