using System.Collections.Concurrent;
using OpenCvSharp;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Faces with OpenCV's frontal-face Haar cascade, eyes with its eye cascade inside the face's upper half.
/// A CascadeClassifier is not thread-safe: each call borrows a pair of classifiers from a pool and returns it, so a process
/// loads one pair per concurrent worker, once.
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
                throw new FileNotFoundException($"The Haar cascade {p} is missing: install Debian's opencv-data (deploy/local/prerequisites.sh) or set CaptureIngest:Standardization:CascadeDirectory.", p);
            }
        }
    }

    /// <summary>
    /// The grey band of the image around <paramref name="band"/> (in the detection image's pixels) at
    /// <paramref name="scale"/> × that image's resolution: lets the eye cascade read a sharper source than the small
    /// detection copy (the decoded photo) instead of an upscaled one.
    /// </summary>
    public delegate Mat EyeBandSource(Rect band, double scale);

    /// <summary>
    /// Faces at least <paramref name="minFace"/> px wide in a greyscale image; those with both eyes found first, then by
    /// size. Eyes are looked for in <paramref name="eyeBands"/> when given, else in <paramref name="grey"/> resized.
    /// </summary>
    public IReadOnlyList<DetectedFace> Detect(Mat grey, int minFace, int? maxFace = null, EyeBandSource? eyeBands = null)
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
                .Select(b => FindEyes(pair.Eye, grey, b, eyeBands))
                .OrderByDescending(f => f.EyesFound)
                .ThenByDescending(f => f.Area)
                .ToList();
        }
        finally
        {
            pool.Add(pair);
        }
    }

    private static DetectedFace FindEyes(CascadeClassifier eyes, Mat grey, Rect face, EyeBandSource? eyeBands)
    {
        // The eyes lie in the face box's upper half; searching only there keeps nostrils and mouth corners out. The band
        // is scaled to a 160 px wide face (eyes ~40 px, twice the cascade's 20 px window), preferably from the decoded
        // photo rather than upscaled from the detection copy, and searched for eyes 1/8 to 5/12 of the face wide with a
        // scale step of 1.1 (a 240 px face at step 1.05 found the same eyes at 4× the cost); it runs on the unequalised
        // image (the global equalisation that helps the face cascade washes the eyes out).
        var band = new Rect(face.X, face.Y + face.Height / 8, face.Width, face.Height / 2);
        band = band.Intersect(new Rect(0, 0, grey.Width, grey.Height));
        const int faceWidth = 160;
        var scale = (double)faceWidth / face.Width;
        using var sized = eyeBands is null ? Upscaled(grey, band, scale) : eyeBands(band, scale);
        var found = eyes.DetectMultiScale(sized, 1.1, 3, HaarDetectionTypes.ScaleImage, new Size(20, 20), new Size(faceWidth * 5 / 12, faceWidth * 5 / 12));
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

    private static Mat Upscaled(Mat grey, Rect band, double scale)
    {
        using var roi = new Mat(grey, band);
        var sized = new Mat();
        Cv2.Resize(roi, sized, new Size(0, 0), scale, scale, InterpolationFlags.Cubic);
        return sized;
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
