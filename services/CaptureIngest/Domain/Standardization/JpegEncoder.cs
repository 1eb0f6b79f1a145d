using NetVips;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>Encodes at the highest quality (≥ the minimum) whose file fits the size limit, with no metadata but the JFIF density.</summary>
internal static class JpegEncoder
{
    public static (byte[] Jpeg, int Quality) Encode(Image image, StandardizationOptions o)
    {
        // Quality and size rise together: binary search for the highest quality that still fits.
        var lo = o.JpegMinQuality;
        var hi = 100;
        var best = Save(image, lo);
        var bestQuality = lo;
        if (best.Length > o.JpegMaxBytes)
        {
            return (best, lo);
        }

        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            var bytes = Save(image, mid);
            if (bytes.Length <= o.JpegMaxBytes)
            {
                lo = mid;
                best = bytes;
                bestQuality = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return (best, bestQuality);
    }

    // keep: None strips EXIF, XMP, IPTC and ICC; libjpeg still writes the JFIF header with libvips' xres/yres as dots per inch.
    private static byte[] Save(Image image, int quality) =>
        image.JpegsaveBuffer(q: quality, optimizeCoding: true, keep: Enums.ForeignKeep.None);
}
