using NetVips;
using OpenCvSharp;
using VipsImage = NetVips.Image;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>Conversions between libvips images, <see cref="RgbPixels"/> and OpenCV matrices.</summary>
internal static class VipsPixels
{
    /// <summary>A copy whose long side is at most <paramref name="size"/>, EXIF orientation applied, shrunk while loading.</summary>
    public static RgbPixels Thumbnail(string path, int size)
    {
        using var thumb = VipsImage.Thumbnail(path, size, height: size, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
        return ToRgbPixels(thumb);
    }

    public static Mat GreyMat(RgbPixels img)
    {
        using var rgb = Mat.FromPixelData(img.Height, img.Width, MatType.CV_8UC3, img.Data);
        var grey = new Mat();
        Cv2.CvtColor(rgb, grey, ColorConversionCodes.RGB2GRAY);
        return grey;
    }

    /// <summary>sRGB, 8 bits, 3 bands, alpha flattened onto white, in memory.</summary>
    public static RgbPixels ToRgbPixels(VipsImage image)
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
}
