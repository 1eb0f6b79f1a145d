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

    /// <summary>Faces at least <paramref name="minFace"/> px wide in a greyscale image; those with both eyes found first, then by size.</summary>
    public IReadOnlyList<DetectedFace> Detect(Mat grey, int minFace, int? maxFace = null)
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
            // Equalised for the face cascade (robust to exposure); a scale step of 1.2 is ~3× faster than 1.1 on an
            // 800 px copy and the box's size error it adds is absorbed by the face-width range.
            using var equalized = new Mat();
            Cv2.EqualizeHist(grey, equalized);
            var boxes = pair.Face.DetectMultiScale(equalized, 1.2, 4, HaarDetectionTypes.ScaleImage, new Size(minFace, minFace), maxFace is { } m ? new Size(m, m) : null);
            return boxes
                .Select(b => FindEyes(pair.Eye, grey, b))
                .OrderByDescending(f => f.EyesFound)
                .ThenByDescending(f => f.Area)
                .ToList();
        }
        finally
        {
            pool.Add(pair);
        }
    }

    private static DetectedFace FindEyes(CascadeClassifier eyes, Mat grey, Rect face)
    {
        // The eyes lie in the face box's upper half; searching only there keeps nostrils and mouth corners out. The band
        // is scaled to a 240 px wide face, where the eye cascade is reliable; it runs on the unequalised image (the
        // global equalisation that helps the face cascade washes the eyes out).
        var band = new Rect(face.X, face.Y + face.Height / 8, face.Width, face.Height / 2);
        band = band.Intersect(new Rect(0, 0, grey.Width, grey.Height));
        using var roi = new Mat(grey, band);
        var scale = 240.0 / face.Width;
        using var sized = new Mat();
        Cv2.Resize(roi, sized, new Size(0, 0), scale, scale, InterpolationFlags.Cubic);
        var found = eyes.DetectMultiScale(sized, 1.05, 3, HaarDetectionTypes.ScaleImage, new Size(20, 20), new Size(100, 100));
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
