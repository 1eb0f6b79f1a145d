namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// A face: its box in the standardiser's face-box convention (Haar's frontal-face box, on which the CHSI targets, the hair
/// scan and the pixel measures are calibrated; BlazeFace's boxes are mapped onto it, <see cref="BlazeFaceDetector.ToStandardBox"/>)
/// and, when found, the centres of the eye on the image's left and on its right. In the pixels of whatever image it was
/// found on or scaled to (<see cref="IFaceDetector"/> returns display pixels of the photo).
/// </summary>
internal sealed record DetectedFace(double X, double Y, double Width, double Height, (double X, double Y)? LeftEye, (double X, double Y)? RightEye)
{
    public bool EyesFound => LeftEye is not null && RightEye is not null;

    /// <summary>The eye line: the eyes' mean height, or estimated at 0.40 of the Haar box height (where the eyes sit in its training crops).</summary>
    public double EyeY => EyesFound ? (LeftEye!.Value.Y + RightEye!.Value.Y) / 2 : Y + 0.40 * Height;

    public double CentreX => EyesFound ? (LeftEye!.Value.X + RightEye!.Value.X) / 2 : X + Width / 2;

    /// <summary>Roll in degrees from the eyes (positive: the head leans towards the image's right shoulder); null without eyes.</summary>
    public double? RollDegrees => EyesFound
        ? Math.Atan2(RightEye!.Value.Y - LeftEye!.Value.Y, RightEye.Value.X - LeftEye.Value.X) * 180 / Math.PI
        : null;

    public DetectedFace Scale(double f) => new(X * f, Y * f, Width * f, Height * f,
        LeftEye is { } l ? (l.X * f, l.Y * f) : null, RightEye is { } r ? (r.X * f, r.Y * f) : null);

    public double Area => Width * Height;
}
