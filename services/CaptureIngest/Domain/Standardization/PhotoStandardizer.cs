using NetVips;
using OpenCvSharp;
using VipsImage = NetVips.Image;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Turns a camera photo into the CHSI standard photo (480×640 JPEG, 20–40 KB, 300 dpi) and judges it: decodes with libvips
/// (header first, shrink-on-load), finds the face and eyes (MediaPipe BlazeFace, or OpenCV's Haar cascades: <see cref="IFaceDetector"/>),
/// crops the decoded image so eyes, face and hair land in the CHSI ranges, and measures quality on the result.
/// Thread-safe: one instance serves all workers of a process.
/// </summary>
public sealed class PhotoStandardizer : IDisposable
{
    private readonly StandardizationOptions options;
    private readonly IFaceDetector detector;

    // A misconfigured colour fails at start-up, not on the first photo of the day.
    private readonly (byte R, byte G, byte B) defaultBackground;

    /// <summary>The configured face detector; Haar, with <see cref="FaceDetectorWarning"/> saying why, when BlazeFace was configured but its model is missing.</summary>
    public PhotoStandardizer(StandardizationOptions options)
    {
        this.options = options;
        defaultBackground = ColourMath.ParseHex(options.BackgroundColour);
        // libvips' operation cache (process-wide, 100 operations by default) only helps when the same operation runs again
        // on the same input, which never happens here (every photo is a new file), and it kept up to ~90 MB of decoded
        // photos alive (each cached crop or resize holds its input): off, unless configured.
        NetVips.Cache.Max = options.VipsOperationCache;
        if (options.VipsConcurrency > 0)
        {
            NetVips.NetVips.Concurrency = options.VipsConcurrency;
        }

        (detector, FaceDetectorWarning) = FaceDetectors.Create(options);
    }

    public StandardizationOptions Options => options;

    /// <summary>What finds the faces in this process.</summary>
    public FaceDetectorKind FaceDetector => detector.Kind;

    /// <summary>Why the detector is not the configured one (the BlazeFace model is missing), for a warning and the health check; null when it is.</summary>
    public string? FaceDetectorWarning { get; }

    public StandardizationResult Standardize(string sourcePath, string? backgroundColour = null, CancellationToken ct = default)
    {
        var campaign = backgroundColour is null ? defaultBackground : ColourMath.ParseHex(backgroundColour);
        if (new FileInfo(sourcePath).Length == 0)
        {
            return StandardizationResult.Reject("the file is not a readable image: it is empty (0 bytes); upload the photo again");
        }

        int width, height, orientation;
        try
        {
            // Opening reads only the header: the pixel limit is enforced before a single pixel is decoded.
            using var header = VipsImage.NewFromFile(sourcePath, access: Enums.Access.Sequential);
            (width, height) = (header.Width, header.Height);
            orientation = header.Contains("orientation") ? Convert.ToInt32(header.Get("orientation")) : 1;
        }
        catch (VipsException e)
        {
            return StandardizationResult.Reject($"the file is not a readable image: {FirstLine(e.Message)}");
        }

        if ((long)width * height > options.MaxPixels)
        {
            return StandardizationResult.Reject(
                $"the image is too large to decode: {width}×{height} = {(double)width * height / 1e6:0.#} MP, more than the {options.MaxPixels / 1e6:0.#} MP limit",
                width, height);
        }

        try
        {
            return Run(sourcePath, campaign, width, height, orientation, ct);
        }
        catch (VipsException e)
        {
            return StandardizationResult.Reject($"the file is not a readable image: {FirstLine(e.Message)}", width, height);
        }
        catch (Exception e) when (e is OpenCVException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return StandardizationResult.Reject($"face detection failed on this image: {FirstLine(e.Message)}", width, height);
        }
    }

    private StandardizationResult Run(string path, (byte R, byte G, byte B) campaign, int width, int height, int orientation, CancellationToken ct)
    {
        var rotated = orientation is >= 5 and <= 8;
        var (displayWidth, displayHeight) = rotated ? (height, width) : (width, height);
        var timings = new Dictionary<string, double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var source = DecodedPhoto.Decode(options, path, displayWidth, displayHeight, orientation);
        timings["decode"] = Lap(clock);
        var faces = detector.Detect(source, timings, ct).ToList();
        timings["detect"] = Lap(clock);
        ct.ThrowIfCancellationRequested();
        if (faces.Count == 0)
        {
            return StandardizationResult.Reject(
                "no face found: the student should face the camera, the face lit and uncovered, the whole head in the frame",
                displayWidth, displayHeight, QualityReport.From([QualityMeasurer.FaceCount(0)])) with { StageMilliseconds = timings };
        }

        // The student: the largest face with both eyes found, else the largest face. Other faces count when their eyes were
        // found and they are at least half as wide (a second person at a similar distance): eyeless or small boxes are
        // clutter (a badge, a fold), not people to send away.
        faces = [.. faces.OrderByDescending(x => x.EyesFound).ThenByDescending(x => x.Area)];
        var face = faces[0];
        var faceCount = faces.Count(x => x == face || (x.EyesFound && x.Width >= 0.5 * face.Width));
        // The top of the hair is scanned on a small copy of the whole frame (BlazeFace's first look started from it).
        var thumb = source.Overview();
        var f = (double)displayWidth / thumb.Width;
        var hair = HairTopEstimator.Estimate(thumb, face.Scale(1 / f), campaign);
        timings["hair"] = Lap(clock);
        var full = face;
        var plan = CropPlanner.Plan(options, full.Width, full.EyeY, hair.Y * f, full.CentreX, displayWidth, displayHeight);

        var pixels = source.Render(plan.Actual);
        timings["render"] = Lap(clock);
        ct.ThrowIfCancellationRequested();

        var s = options.Width / plan.Actual.Width;
        var geometry = new OutputGeometry(
            (full.X - plan.Actual.X) * s, (full.Y - plan.Actual.Y) * s, full.Width * s, full.Height * s,
            (full.EyeY - plan.Actual.Y) * s, full.EyesFound, full.RollDegrees,
            (hair.Y * f - plan.Actual.Y) * s, hair.Estimated);

        var measures = new List<QualityMeasure> { QualityMeasurer.FaceCount(faceCount) };
        measures.AddRange(QualityMeasurer.Geometry(options, geometry, plan));
        measures.AddRange(QualityMeasurer.Pixels(options, pixels, geometry, campaign));
        timings["measure"] = Lap(clock);

        using var output = VipsImage.NewFromMemory(pixels.Data, pixels.Width, pixels.Height, 3, Enums.BandFormat.Uchar);
        using var tagged = output.Copy(interpretation: Enums.Interpretation.Srgb, xres: options.Dpi / 25.4, yres: options.Dpi / 25.4);
        var (jpeg, quality) = JpegEncoder.Encode(tagged, options);
        measures.Add(QualityMeasurer.FileSize(options, jpeg.Length, quality));
        timings["encode"] = Lap(clock);

        return new StandardizationResult(StandardizationOutcome.Standardized, jpeg, QualityReport.From(measures), displayWidth, displayHeight, null)
        {
            JpegQuality = quality,
            StageMilliseconds = timings,
            Crop = plan.Actual,
            DecodeShrink = source.Shrink,
            FaceBox = FormattableString.Invariant($"{full.X:0},{full.Y:0} {full.Width:0}×{full.Height:0}, eyes {(full.EyesFound ? "found" : "estimated")}, hair top {hair.Y * f:0}"),
        };
    }

    private static double Lap(System.Diagnostics.Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return Math.Round(ms, 1);
    }

    /// <summary>The text of the first QR code in the photo (a capture-code keyframe), or null when there is none.</summary>
    public string? DecodeQrCode(string sourcePath)
    {
        try
        {
            using (var header = VipsImage.NewFromFile(sourcePath, access: Enums.Access.Sequential))
            {
                if ((long)header.Width * header.Height > options.MaxPixels)
                {
                    return null;
                }
            }

            // A phone screen or card fills a good part of the keyframe: a 1000 px copy is enough, 2000 px if not.
            foreach (var size in new[] { 1000, 2000 })
            {
                var thumb = VipsPixels.Thumbnail(sourcePath, size);
                using var grey = VipsPixels.GreyMat(thumb);
                using var qr = new QRCodeDetector();
                var text = qr.DetectAndDecode(grey, out _);
                if (!string.IsNullOrEmpty(text))
                {
                    return text;
                }

                if (Math.Max(thumb.Width, thumb.Height) < size)
                {
                    break;
                }
            }

            return null;
        }
        catch (Exception e) when (e is VipsException or OpenCVException)
        {
            return null;
        }
    }

    /// <summary>libvips' message, its lines joined, without the binding's boilerplate first line.</summary>
    private static string FirstLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = string.Join("; ", lines.Length > 1 ? lines[1..] : lines);
        return text.Length > 300 ? text[..300] : text;
    }

    public void Dispose() => detector.Dispose();
}
