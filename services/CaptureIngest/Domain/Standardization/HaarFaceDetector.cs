using System.Collections.Concurrent;
using OpenCvSharp;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Faces with OpenCV's frontal-face Haar cascade, eyes with its eye cascade inside the face's upper half.
/// A CascadeClassifier is not thread-safe: each call borrows a pair of classifiers from a pool and returns it.
/// </summary>
internal sealed class HaarFaceDetector : IDisposable
{
    private const string FaceCascade = "haarcascade_frontalface_default.xml";
    private const string EyeCascade = "haarcascade_eye.xml";

    private readonly string faceCascadePath;
    private readonly string eyeCascadePath;
    private readonly ConcurrentBag<(CascadeClassifier Face, CascadeClassifier Eye)> pool = [];
    private bool disposed;

    public HaarFaceDetector(string cascadeDirectory)
    {
        faceCascadePath = Path.Combine(cascadeDirectory, FaceCascade);
        eyeCascadePath = Path.Combine(cascadeDirectory, EyeCascade);
        foreach (var p in new[] { faceCascadePath, eyeCascadePath })
        {
            if (!File.Exists(p))
            {
                throw new FileNotFoundException($"The Haar cascade {p} is missing: install Debian's opencv-data (deploy/local/prerequisites.sh) or set Capture:Standardization:CascadeDirectory.", p);
            }
        }
    }

    /// <summary>Faces in a greyscale image, largest first.</summary>
    public IReadOnlyList<DetectedFace> Detect(Mat grey)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!pool.TryTake(out var pair))
        {
            pair = (new CascadeClassifier(faceCascadePath), new CascadeClassifier(eyeCascadePath));
            if (pair.Face.Empty() || pair.Eye.Empty())
            {
                throw new InvalidOperationException($"OpenCV could not load the cascades in {Path.GetDirectoryName(faceCascadePath)}");
            }
        }

        try
        {
            using var equalized = new Mat();
            Cv2.EqualizeHist(grey, equalized);
            var minSide = Math.Max(24, Math.Min(grey.Width, grey.Height) / 25);
            var boxes = pair.Face.DetectMultiScale(equalized, 1.1, 5, HaarDetectionTypes.ScaleImage, new Size(minSide, minSide));
            return boxes
                .OrderByDescending(b => b.Width * b.Height)
                .Select(b => FindEyes(pair.Eye, equalized, b))
                .ToList();
        }
        finally
        {
            pool.Add(pair);
        }
    }

    private static DetectedFace FindEyes(CascadeClassifier eyes, Mat grey, Rect face)
    {
        // The eyes lie in the face box's upper part; searching only there keeps nostrils and mouth corners out.
        var band = new Rect(face.X, face.Y + (int)(0.15 * face.Height), face.Width, (int)(0.45 * face.Height));
        band = band.Intersect(new Rect(0, 0, grey.Width, grey.Height));
        using var roi = new Mat(grey, band);
        // Small faces are upscaled so that an eye is at least ~25 px, the cascade's comfortable size.
        var scale = Math.Max(1.0, 200.0 / face.Width);
        using var sized = new Mat();
        Cv2.Resize(roi, sized, new Size(0, 0), scale, scale, InterpolationFlags.Linear);
        var minEye = (int)(face.Width * scale / 9);
        var found = eyes.DetectMultiScale(sized, 1.1, 3, HaarDetectionTypes.ScaleImage, new Size(minEye, minEye), new Size((int)(face.Width * scale / 2.5), (int)(face.Width * scale / 2.5)));
        var centres = found.Select(e => (X: band.X + (e.X + e.Width / 2.0) / scale, Y: band.Y + (e.Y + e.Height / 2.0) / scale, Size: e.Width / scale)).ToList();

        var mid = face.X + face.Width / 2.0;
        var pairs = from l in centres
                    where l.X < mid
                    from r in centres
                    where r.X > mid
                    let dx = r.X - l.X
                    where dx > 0.25 * face.Width && dx < 0.7 * face.Width && Math.Abs(r.Y - l.Y) < 0.6 * dx
                    orderby l.Size + r.Size descending
                    select (Left: (l.X, l.Y), Right: (r.X, r.Y));
        foreach (var (left, right) in pairs)
        {
            return new DetectedFace(face.X, face.Y, face.Width, face.Height, left, right);
        }

        return new DetectedFace(face.X, face.Y, face.Width, face.Height, null, null);
    }

    public void Dispose()
    {
        disposed = true;
        while (pool.TryTake(out var pair))
        {
            pair.Face.Dispose();
            pair.Eye.Dispose();
        }
    }
}
