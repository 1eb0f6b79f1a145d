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
        var best = Save(image, lo, o.Dpi);
        var bestQuality = lo;
        if (best.Length > o.JpegMaxBytes)
        {
            return (best, lo);
        }

        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            var bytes = Save(image, mid, o.Dpi);
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

    // keep: None strips EXIF, XMP, IPTC and ICC, and with them (libvips 8.18) the JFIF header: the density goes back in
    // as a JFIF APP0 segment of our own, so every viewer and CHSI's checker reads 300 dpi.
    private static byte[] Save(Image image, int quality, int dpi) =>
        WithJfifDensity(image.JpegsaveBuffer(q: quality, optimizeCoding: true, keep: Enums.ForeignKeep.None), dpi);

    internal static byte[] WithJfifDensity(byte[] jpeg, int dpi)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new InvalidOperationException("the encoder did not produce a JPEG");
        }

        byte[] app0 =
        [
            0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01,
            0x01, (byte)(dpi >> 8), (byte)dpi, (byte)(dpi >> 8), (byte)dpi, 0x00, 0x00,
        ];

        // Drop an existing APP0 (JFIF) so there is exactly one.
        var rest = 2;
        if (jpeg[2] == 0xFF && jpeg[3] == 0xE0)
        {
            rest = 4 + ((jpeg[4] << 8) | jpeg[5]);
        }

        var result = new byte[2 + app0.Length + jpeg.Length - rest];
        result[0] = 0xFF;
        result[1] = 0xD8;
        app0.CopyTo(result, 2);
        jpeg.AsSpan(rest).CopyTo(result.AsSpan(2 + app0.Length));
        return result;
    }
}
