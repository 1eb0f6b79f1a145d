using NetVips;
using OpenCvSharp;
using VipsImage = NetVips.Image;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// Turns a camera photo into the CHSI standard photo (480×640 JPEG, 20–40 KB, 300 dpi) and judges it: decodes with libvips
/// (header first, shrink-on-load), finds the face and eyes with OpenCV's Haar cascades on a small copy, crops the
/// full-resolution image so eyes, face and hair land in the CHSI ranges, and measures quality on the result.
/// Thread-safe: one instance serves all workers of a process.
/// </summary>
public sealed class PhotoStandardizer(StandardizationOptions options) : IDisposable
{
    private const string JpegLoader = "VipsForeignLoadJpegFile";

    private readonly HaarFaceDetector detector = new(options.CascadeDirectory);

    // libvips' operation cache (process-wide, 100 operations by default) only helps when the same operation runs again on
    // the same input, which never happens here (every photo is a new file), and it kept up to ~90 MB of decoded photos
    // alive (each cached crop or resize holds its input): off, unless configured.
    private readonly bool cacheConfigured = ConfigureLibvips(options);

    // A misconfigured colour fails at start-up, not on the first photo of the day.
    private readonly (byte R, byte G, byte B) defaultBackground = ColourMath.ParseHex(options.BackgroundColour);

    public StandardizationOptions Options => options;

    private static bool ConfigureLibvips(StandardizationOptions o)
    {
        NetVips.Cache.Max = o.VipsOperationCache;
        return true;
    }

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
        catch (OpenCVException e)
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

        using var source = Decode(path, displayWidth, displayHeight, orientation);
        timings["decode"] = Lap(clock);
        var (thumb, faces) = FindFaces(source, timings, ct);
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
        var hair = HairTopEstimator.Estimate(thumb, face, campaign);
        var f = (double)displayWidth / thumb.Width;
        var full = face.Scale(f);
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
                var thumb = Thumbnail(sourcePath, size);
                using var grey = GreyMat(thumb);
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

    /// <summary>
    /// Faces on a small copy, with the eyes when found. A face without a pair of eyes may be a false detection (a badge, a
    /// fold of the suit), so until one with eyes turns up: a second look at a larger copy (a far-away face), then at the
    /// copy turned ±15° (a tilted head, which the frontal cascade misses). Coordinates are the first copy's.
    /// </summary>
    private (RgbPixels Thumb, List<DetectedFace> Faces) FindFaces(DecodedPhoto source, Dictionary<string, double> timings, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var thumb = source.Copy(options.DetectionSize);
        using var grey = GreyMat(thumb);
        timings["detect.copy"] = Lap(clock);
        var minFace = Math.Max(24, (int)Math.Round(Math.Min(grey.Width, grey.Height) * options.MinFaceFraction));
        var faces = detector.Detect(grey, minFace, eyeBands: source.EyeBands(grey.Width)).ToList();
        timings["detect.haar"] = Lap(clock);
        if (faces.Any(f => f.EyesFound))
        {
            return (thumb, faces);
        }

        if (Math.Max(source.DisplayWidth, source.DisplayHeight) > options.DetectionSize * 1.5)
        {
            ct.ThrowIfCancellationRequested();
            var larger = source.Copy(options.FarDetectionSize);
            using var largerGrey = GreyMat(larger);
            // Only faces smaller than the first pass could see: the larger copy costs less when it skips big windows.
            var back = (double)thumb.Width / larger.Width;
            var maxFace = (int)Math.Ceiling((minFace + 4) / back);
            // From 1/32 of the larger copy's short side (33 px at 1600×1067, as before) up to what the first look missed.
            var farMin = Math.Max(24, Math.Min(largerGrey.Width, largerGrey.Height) / 32);
            var more = detector.Detect(largerGrey, farMin, Math.Max(farMin, maxFace), source.EyeBands(largerGrey.Width)).Select(f => f.Scale(back)).ToList();
            timings["detect.larger"] = Lap(clock);
            if (more.Any(f => f.EyesFound))
            {
                return (thumb, more.Concat(faces).ToList());
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
                return (thumb, tilted.Select(f => Unrotate(f, unturn)).Concat(faces).ToList());
            }
        }

        return (thumb, faces);
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

    private static Mat GreyMat(RgbPixels img)
    {
        using var rgb = Mat.FromPixelData(img.Height, img.Width, MatType.CV_8UC3, img.Data);
        var grey = new Mat();
        Cv2.CvtColor(rgb, grey, ColorConversionCodes.RGB2GRAY);
        return grey;
    }

    /// <summary>A copy whose long side is at most <paramref name="size"/>, EXIF orientation applied, shrunk while loading.</summary>
    private static RgbPixels Thumbnail(string path, int size)
    {
        using var thumb = VipsImage.Thumbnail(path, size, height: size, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
        return ToRgbPixels(thumb);
    }

    /// <summary>
    /// The photo decoded once: a JPEG at the largest shrink-on-load (1, 2, 4, 8) that keeps the long side at least
    /// <see cref="StandardizationOptions.DecodeLongSide"/>, upright, its pixels in memory; the detection copies, the eye
    /// bands and the crop are all taken from it. Another format (PNG, HEIF) is read from the file each time, streaming.
    /// </summary>
    private DecodedPhoto Decode(string path, int displayWidth, int displayHeight, int orientation)
    {
        if (VipsImage.FindLoad(path) != JpegLoader)
        {
            return new DecodedPhoto(this, path, null, displayWidth, displayHeight, orientation);
        }

        var shrink = 1;
        while (shrink < 8 && Math.Max(displayWidth, displayHeight) / (shrink * 2) >= options.DecodeLongSide)
        {
            shrink *= 2;
        }

        // Rotating by EXIF needs random access; an upright photo streams top to bottom into memory.
        var access = orientation > 1 ? Enums.Access.Random : Enums.Access.Sequential;
        using var loaded = VipsImage.NewFromFile(path, access: access, failOn: Enums.FailOn.Truncated, kwargs: new VOption { { "shrink", shrink } });
        using var upright = loaded.Autorot();
        return new DecodedPhoto(this, path, upright.CopyMemory(), displayWidth, displayHeight, orientation);
    }

    private sealed class DecodedPhoto(PhotoStandardizer owner, string path, VipsImage? memory, int displayWidth, int displayHeight, int orientation) : IDisposable
    {
        public int DisplayWidth => displayWidth;

        public int DisplayHeight => displayHeight;

        /// <summary>A copy whose long side is at most <paramref name="size"/>.</summary>
        public RgbPixels Copy(int size)
        {
            if (memory is null)
            {
                return Thumbnail(path, size);
            }

            using var thumb = memory.ThumbnailImage(size, height: size, size: Enums.Size.Down);
            return ToRgbPixels(thumb);
        }

        /// <summary>Eye bands from the decoded photo for a detection copy <paramref name="copyWidth"/> px wide; null when there is no decoded photo.</summary>
        public HaarFaceDetector.EyeBandSource? EyeBands(int copyWidth)
        {
            if (memory is null)
            {
                return null;
            }

            var f = (double)memory.Width / copyWidth;
            return (band, scale) =>
            {
                var left = Math.Clamp((int)Math.Round(band.X * f), 0, memory.Width - 1);
                var top = Math.Clamp((int)Math.Round(band.Y * f), 0, memory.Height - 1);
                var w = Math.Clamp((int)Math.Round(band.Width * f), 1, memory.Width - left);
                var h = Math.Clamp((int)Math.Round(band.Height * f), 1, memory.Height - top);
                using var cropped = memory.Crop(left, top, w, h);
                var width = Math.Max(1, (int)Math.Round(band.Width * scale));
                var height = Math.Max(1, (int)Math.Round(band.Height * scale));
                using var sized = cropped.Resize((double)width / w, vscale: (double)height / h, kernel: Enums.Kernel.Linear);
                return GreyMat(ToRgbPixels(sized));
            };
        }

        /// <summary>
        /// The crop (display-orientation source pixels) at exactly the output size, Lanczos3. From the decoded photo when it
        /// has at least one pixel per output pixel there; else (a far face) decoded again with a smaller shrink.
        /// </summary>
        public RgbPixels Render(CropRect crop)
        {
            var o = owner.Options;
            if (memory is not null && crop.Width * memory.Width / displayWidth >= o.Width)
            {
                return Crop(memory, crop);
            }

            // JPEG shrink-on-load by 2, 4 or 8 while the crop keeps at least the output's resolution.
            var load = new VOption();
            if (memory is not null)
            {
                var s = 1;
                while (s < 8 && crop.Width / (s * 2) >= o.Width)
                {
                    s *= 2;
                }

                if (s > 1)
                {
                    load.Add("shrink", s);
                }
            }

            var access = orientation > 1 ? Enums.Access.Random : Enums.Access.Sequential;
            using var loaded = VipsImage.NewFromFile(path, access: access, failOn: Enums.FailOn.Truncated, kwargs: load);
            using var upright = loaded.Autorot();
            return Crop(upright, crop);
        }

        private RgbPixels Crop(VipsImage upright, CropRect crop)
        {
            var o = owner.Options;
            var f = (double)upright.Width / displayWidth;
            var left = Math.Clamp((int)Math.Round(crop.X * f), 0, upright.Width - 1);
            var top = Math.Clamp((int)Math.Round(crop.Y * f), 0, upright.Height - 1);
            var w = Math.Clamp((int)Math.Round(crop.Width * f), 1, upright.Width - left);
            var h = Math.Clamp((int)Math.Round(crop.Height * f), 1, upright.Height - top);
            using var cropped = upright.Crop(left, top, w, h);
            using var resized = cropped.Resize((double)o.Width / w, vscale: (double)o.Height / h, kernel: Enums.Kernel.Lanczos3);
            return ToRgbPixels(resized);
        }

        public void Dispose() => memory?.Dispose();
    }

    /// <summary>sRGB, 8 bits, 3 bands, alpha flattened onto white, in memory.</summary>
    private static RgbPixels ToRgbPixels(VipsImage image)
    {
        var img = image;
        var owned = new List<VipsImage>();
        try
        {
            if (img.Contains("icc-profile-data"))
            {
                img = Own(img.IccTransform("srgb", embedded: true, intent: Enums.Intent.Perceptual));
            }

            if (img.HasAlpha())
            {
                img = Own(img.Flatten(background: [255, 255, 255]));
            }

            if (img.Interpretation != Enums.Interpretation.Srgb || img.Bands != 3)
            {
                img = Own(img.Colourspace(Enums.Interpretation.Srgb));
            }

            if (img.Format != Enums.BandFormat.Uchar)
            {
                img = Own(img.Cast(Enums.BandFormat.Uchar));
            }

            if (img.Bands > 3)
            {
                img = Own(img.ExtractBand(0, 3));
            }

            return new RgbPixels(img.WriteToMemory<byte>(), img.Width, img.Height);
        }
        finally
        {
            owned.ForEach(i => i.Dispose());
        }

        VipsImage Own(VipsImage i)
        {
            owned.Add(i);
            return i;
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
