using NetVips;
using VipsImage = NetVips.Image;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// The photo decoded once: a JPEG at the largest shrink-on-load (1, 2, 4, 8) that keeps the long side at least
/// <see cref="StandardizationOptions.DecodeLongSide"/>, upright, its pixels in memory; the detection copies, the regions
/// the detectors look at again, and the crop all come from it. Another format (PNG, HEIF) is read from the file each time,
/// streaming. Coordinates are display pixels (EXIF orientation applied) of the full-size photo.
/// </summary>
internal sealed class DecodedPhoto : IDisposable
{
    private const string JpegLoader = "VipsForeignLoadJpegFile";

    private readonly StandardizationOptions options;
    private readonly string path;
    private readonly VipsImage? memory;
    private readonly int orientation;
    private readonly Dictionary<int, RgbPixels> copies = [];
    private RgbPixels? overview;

    private DecodedPhoto(StandardizationOptions options, string path, VipsImage? memory, int displayWidth, int displayHeight, int orientation, int shrink = 1)
    {
        Shrink = shrink;
        this.options = options;
        this.path = path;
        this.memory = memory;
        this.orientation = orientation;
        DisplayWidth = displayWidth;
        DisplayHeight = displayHeight;
    }

    public int DisplayWidth { get; }

    public int DisplayHeight { get; }

    /// <summary>The JPEG's shrink-on-load factor (1, 2, 4 or 8); 1 for other formats.</summary>
    public int Shrink { get; }

    public static DecodedPhoto Decode(StandardizationOptions options, string path, int displayWidth, int displayHeight, int orientation)
    {
        if (VipsImage.FindLoad(path) != JpegLoader)
        {
            return new DecodedPhoto(options, path, null, displayWidth, displayHeight, orientation);
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
        return new DecodedPhoto(options, path, upright.CopyMemory(), displayWidth, displayHeight, orientation, shrink);
    }

    /// <summary>A copy whose long side is at most <paramref name="size"/>; made once per size and photo.</summary>
    public RgbPixels Copy(int size)
    {
        if (copies.TryGetValue(size, out var made))
        {
            return made;
        }

        RgbPixels copy;
        if (memory is null)
        {
            copy = VipsPixels.Thumbnail(path, size);
        }
        else
        {
            using var thumb = memory.ThumbnailImage(size, height: size, size: Enums.Size.Down);
            copy = VipsPixels.ToRgbPixels(thumb);
        }

        copies[size] = copy;
        return copy;
    }

    /// <summary>
    /// The whole photo small, long side at least <see cref="StandardizationOptions.DetectionSize"/>: the decoded photo averaged
    /// over square blocks (an integer box shrink, ~3 ms for 3000×2000 → 500×333, where a Lanczos thumbnail to exactly 480 px
    /// costs ~6); <see cref="Copy"/> at that size when the photo is not held decoded. Made once per photo.
    /// </summary>
    public RgbPixels Overview()
    {
        if (overview is not null)
        {
            return overview;
        }

        if (memory is null)
        {
            return overview = Copy(options.DetectionSize);
        }

        var shrink = Math.Max(1, Math.Max(memory.Width, memory.Height) / options.DetectionSize);
        using var small = memory.Shrink(shrink, shrink);
        return overview = VipsPixels.ToRgbPixels(small);
    }

    /// <summary>A copy of <see cref="Overview"/> whose long side is at most <paramref name="size"/> (smaller than the overview's).</summary>
    public RgbPixels SmallCopy(int size)
    {
        var o = Overview();
        using var image = VipsImage.NewFromMemory(o.Data, o.Width, o.Height, 3, Enums.BandFormat.Uchar);
        using var small = image.ThumbnailImage(size, height: size, size: Enums.Size.Down);
        return new RgbPixels(small.WriteToMemory<byte>(), small.Width, small.Height);
    }

    /// <summary>
    /// The part of <paramref name="region"/> (display pixels) that lies inside the photo, scaled by <paramref name="scale"/>
    /// output pixels per display pixel, and where its top-left corner lies in display pixels (the region's parts outside
    /// the photo are simply not there).
    /// </summary>
    public (RgbPixels Pixels, double X, double Y, double Scale) Region(CropRect region, double scale)
    {
        var x0 = Math.Clamp(region.X, 0, DisplayWidth - 1);
        var y0 = Math.Clamp(region.Y, 0, DisplayHeight - 1);
        var x1 = Math.Clamp(region.Right, x0 + 1, DisplayWidth);
        var y1 = Math.Clamp(region.Bottom, y0 + 1, DisplayHeight);
        if (memory is null)
        {
            var access = orientation > 1 ? Enums.Access.Random : Enums.Access.Sequential;
            using var loaded = VipsImage.NewFromFile(path, access: access, failOn: Enums.FailOn.Truncated);
            using var upright = loaded.Autorot();
            return Cut(upright, x0, y0, x1, y1, scale);
        }

        return Cut(memory, x0, y0, x1, y1, scale);
    }

    private (RgbPixels Pixels, double X, double Y, double Scale) Cut(VipsImage image, double x0, double y0, double x1, double y1, double scale)
    {
        var f = (double)image.Width / DisplayWidth;
        var left = Math.Clamp((int)Math.Floor(x0 * f), 0, image.Width - 1);
        var top = Math.Clamp((int)Math.Floor(y0 * f), 0, image.Height - 1);
        var w = Math.Clamp((int)Math.Ceiling(x1 * f) - left, 1, image.Width - left);
        var h = Math.Clamp((int)Math.Ceiling(y1 * f) - top, 1, image.Height - top);
        var width = Math.Max(1, (int)Math.Round(w / f * scale));
        var height = Math.Max(1, (int)Math.Round(h / f * scale));
        using var cropped = image.Crop(left, top, w, h);
        using var sized = cropped.Resize((double)width / w, vscale: (double)height / h, kernel: Enums.Kernel.Linear);
        return (VipsPixels.ToRgbPixels(sized), left / f, top / f, (double)width / (w / f));
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
            return VipsPixels.GreyMat(VipsPixels.ToRgbPixels(sized));
        };
    }

    /// <summary>
    /// The crop (display-orientation source pixels) at exactly the output size, Lanczos3. From the decoded photo when it
    /// has at least one pixel per output pixel there; else (a far face) decoded again with a smaller shrink.
    /// </summary>
    public RgbPixels Render(CropRect crop)
    {
        var o = options;
        if (memory is not null && crop.Width * memory.Width / DisplayWidth >= o.Width)
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
        var o = options;
        var f = (double)upright.Width / DisplayWidth;
        var left = Math.Clamp((int)Math.Round(crop.X * f), 0, upright.Width - 1);
        var top = Math.Clamp((int)Math.Round(crop.Y * f), 0, upright.Height - 1);
        var w = Math.Clamp((int)Math.Round(crop.Width * f), 1, upright.Width - left);
        var h = Math.Clamp((int)Math.Round(crop.Height * f), 1, upright.Height - top);
        using var cropped = upright.Crop(left, top, w, h);
        using var resized = cropped.Resize((double)o.Width / w, vscale: (double)o.Height / h, kernel: Enums.Kernel.Lanczos3);
        return VipsPixels.ToRgbPixels(resized);
    }

    public void Dispose() => memory?.Dispose();
}
