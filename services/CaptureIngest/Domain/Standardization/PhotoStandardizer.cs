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

    public StandardizationOptions Options => options;

    public StandardizationResult Standardize(string sourcePath, string? backgroundColour = null, CancellationToken ct = default)
    {
        var campaign = ColourMath.ParseHex(backgroundColour ?? options.BackgroundColour);
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

        // Detect on a small copy; a far-away face gets a second look at twice the size before we give up.
        var thumb = Thumbnail(path, options.DetectionSize);
        var faces = DetectFaces(thumb);
        if (faces.Count == 0 && Math.Max(displayWidth, displayHeight) > options.DetectionSize * 1.5)
        {
            ct.ThrowIfCancellationRequested();
            thumb = Thumbnail(path, options.DetectionSize * 2);
            faces = DetectFaces(thumb);
        }

        ct.ThrowIfCancellationRequested();
        if (faces.Count == 0)
        {
            return StandardizationResult.Reject(
                "no face found: the student should face the camera, the face lit and uncovered, the whole head in the frame",
                displayWidth, displayHeight, QualityReport.From([QualityMeasurer.FaceCount(0)]));
        }

        var face = faces[0];
        var hair = HairTopEstimator.Estimate(thumb, face, campaign);
        var f = (double)displayWidth / thumb.Width;
        var full = face.Scale(f);
        var plan = CropPlanner.Plan(options, full.Width, full.EyeY, hair.Y * f, full.CentreX, displayWidth, displayHeight);

        var pixels = Render(path, plan, displayWidth, orientation);
        ct.ThrowIfCancellationRequested();

        var s = options.Width / plan.Actual.Width;
        var geometry = new OutputGeometry(
            (full.X - plan.Actual.X) * s, (full.Y - plan.Actual.Y) * s, full.Width * s, full.Height * s,
            (full.EyeY - plan.Actual.Y) * s, full.EyesFound, full.RollDegrees,
            (hair.Y * f - plan.Actual.Y) * s, hair.Estimated);

        using var output = VipsImage.NewFromMemory(pixels.Data, pixels.Width, pixels.Height, 3, Enums.BandFormat.Uchar);
        using var tagged = output.Copy(interpretation: Enums.Interpretation.Srgb, xres: options.Dpi / 25.4, yres: options.Dpi / 25.4);
        var (jpeg, quality) = JpegEncoder.Encode(tagged, options);

        var measures = new List<QualityMeasure> { QualityMeasurer.FaceCount(faces.Count) };
        measures.AddRange(QualityMeasurer.Geometry(options, geometry, plan));
        measures.AddRange(QualityMeasurer.Pixels(options, pixels, geometry, campaign));
        measures.Add(QualityMeasurer.FileSize(options, jpeg.Length, quality));

        return new StandardizationResult(StandardizationOutcome.Standardized, jpeg, QualityReport.From(measures), displayWidth, displayHeight, null)
        {
            JpegQuality = quality,
        };
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

    private List<DetectedFace> DetectFaces(RgbPixels img)
    {
        using var grey = GreyMat(img);
        return [.. detector.Detect(grey)];
    }

    private static Mat GreyMat(RgbPixels img)
    {
        var grey = new byte[img.Width * img.Height];
        for (var i = 0; i < grey.Length; i++)
        {
            grey[i] = (byte)Math.Round(ColourMath.Luma(img.Data[i * 3], img.Data[i * 3 + 1], img.Data[i * 3 + 2]));
        }

        return Mat.FromPixelData(img.Height, img.Width, MatType.CV_8UC1, grey).Clone();
    }

    /// <summary>A copy whose long side is at most <paramref name="size"/>, EXIF orientation applied, shrunk while loading.</summary>
    private static RgbPixels Thumbnail(string path, int size)
    {
        using var thumb = VipsImage.Thumbnail(path, size, height: size, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
        return ToRgbPixels(thumb);
    }

    private RgbPixels Render(string path, CropPlan plan, int displayWidth, int orientation)
    {
        // JPEG shrink-on-load by 2, 4 or 8 while the crop keeps at least the output's resolution.
        var shrink = 1;
        if (VipsImage.FindLoad(path) == JpegLoader)
        {
            while (shrink < 8 && plan.Actual.Width / (shrink * 2) >= options.Width)
            {
                shrink *= 2;
            }
        }

        var load = new VOption();
        if (shrink > 1)
        {
            load.Add("shrink", shrink);
        }

        // Rotating by EXIF needs random access; an upright photo streams top to bottom.
        var access = orientation > 1 ? Enums.Access.Random : Enums.Access.Sequential;
        using var loaded = VipsImage.NewFromFile(path, access: access, failOn: Enums.FailOn.Truncated, kwargs: load);
        using var upright = loaded.Autorot();
        var f = (double)upright.Width / displayWidth;
        var left = Math.Clamp((int)Math.Round(plan.Actual.X * f), 0, upright.Width - 1);
        var top = Math.Clamp((int)Math.Round(plan.Actual.Y * f), 0, upright.Height - 1);
        var w = Math.Clamp((int)Math.Round(plan.Actual.Width * f), 1, upright.Width - left);
        var h = Math.Clamp((int)Math.Round(plan.Actual.Height * f), 1, upright.Height - top);
        using var cropped = upright.Crop(left, top, w, h);
        using var resized = cropped.Resize((double)options.Width / w, vscale: (double)options.Height / h, kernel: Enums.Kernel.Lanczos3);
        return ToRgbPixels(resized);
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
