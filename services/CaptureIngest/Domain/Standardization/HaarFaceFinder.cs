using System.Diagnostics;
using OpenCvSharp;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Faces and eyes with OpenCV's Haar cascades (<see cref="HaarFaceDetector"/>) on a small copy of the photo. A face without
/// a pair of eyes may be a false detection (a badge, a fold of the suit), so until one with eyes turns up: a second look at
/// a larger copy (a far-away face), then at the copy turned ±15° (a tilted head, which the frontal cascade misses).
/// </summary>
internal sealed class HaarFaceFinder(StandardizationOptions options) : IFaceDetector
{
    private readonly HaarFaceDetector detector = new(options.CascadeDirectory);

    public FaceDetectorKind Kind => FaceDetectorKind.Haar;

    public IReadOnlyList<DetectedFace> Detect(DecodedPhoto photo, IDictionary<string, double> timings, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var thumb = photo.Copy(options.DetectionSize);
        using var grey = VipsPixels.GreyMat(thumb);
        timings["detect.copy"] = Lap(clock);
        var back = (double)photo.DisplayWidth / thumb.Width;
        var minFace = Math.Max(24, (int)Math.Round(Math.Min(grey.Width, grey.Height) * options.MinFaceFraction));
        var faces = detector.Detect(grey, minFace, eyeBands: photo.EyeBands(grey.Width)).ToList();
        timings["detect.haar"] = Lap(clock);
        if (faces.Any(f => f.EyesFound))
        {
            return Display(faces);
        }

        if (Math.Max(photo.DisplayWidth, photo.DisplayHeight) > options.DetectionSize * 1.5)
        {
            ct.ThrowIfCancellationRequested();
            var larger = photo.Copy(options.FarDetectionSize);
            using var largerGrey = VipsPixels.GreyMat(larger);
            // Only faces smaller than the first pass could see: the larger copy costs less when it skips big windows.
            var toThumb = (double)thumb.Width / larger.Width;
            var maxFace = (int)Math.Ceiling((minFace + 4) / toThumb);
            // From 1/32 of the larger copy's short side (33 px at 1600×1067) up to what the first look missed.
            var farMin = Math.Max(24, Math.Min(largerGrey.Width, largerGrey.Height) / 32);
            var more = detector.Detect(largerGrey, farMin, Math.Max(farMin, maxFace), photo.EyeBands(largerGrey.Width)).Select(f => f.Scale(toThumb)).ToList();
            timings["detect.larger"] = Lap(clock);
            if (more.Any(f => f.EyesFound))
            {
                return Display(more.Concat(faces));
            }
        }

        foreach (var angle in new[] { 15.0, -15.0 })
        {
            ct.ThrowIfCancellationRequested();
            var centre = new Point2f(grey.Width / 2f, grey.Height / 2f);
            using var turn = Cv2.GetRotationMatrix2D(centre, angle, 1);
            using var turned = new Mat();
            Cv2.WarpAffine(grey, turned, turn, grey.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
            var tilted = detector.Detect(turned, minFace).Where(f => f.EyesFound).ToList();
            timings[$"detect.turned{angle:+0;-0}"] = Lap(clock);
            if (tilted.Count > 0)
            {
                using var unturn = Cv2.GetRotationMatrix2D(centre, -angle, 1);
                return Display(tilted.Select(f => Unrotate(f, unturn)).Concat(faces));
            }
        }

        return Display(faces);

        List<DetectedFace> Display(IEnumerable<DetectedFace> found) => found.Select(f => f.Scale(back)).ToList();
    }

    /// <summary>A face found on a turned copy, mapped back: box centre and eyes rotated back, the box kept upright.</summary>
    private static DetectedFace Unrotate(DetectedFace f, Mat back)
    {
        (double X, double Y) Map(double x, double y) => (
            back.At<double>(0, 0) * x + back.At<double>(0, 1) * y + back.At<double>(0, 2),
            back.At<double>(1, 0) * x + back.At<double>(1, 1) * y + back.At<double>(1, 2));
        var (cx, cy) = Map(f.X + f.Width / 2, f.Y + f.Height / 2);
        return new DetectedFace(cx - f.Width / 2, cy - f.Height / 2, f.Width, f.Height,
            f.LeftEye is { } l ? Map(l.X, l.Y) : null, f.RightEye is { } r ? Map(r.X, r.Y) : null);
    }

    private static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return Math.Round(ms, 1);
    }

    public void Dispose() => detector.Dispose();
}
