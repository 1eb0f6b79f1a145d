using NetVips;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>Encodes at the highest quality (≥ the minimum) whose file fits the size limit, with no metadata but the JFIF density.</summary>
internal static class JpegEncoder
{
    /// <summary>Where the search starts: the test captures land at 80–91, most at 81–82 (then 2 encodes settle it).</summary>
    private const int StartQuality = 82;

    /// <summary>d ln(bytes) / d quality near the top of the range, for the first guess after a probe (measured: 0.03–0.06).</summary>
    private const double LogSlope = 0.045;

    public static (byte[] Jpeg, int Quality) Encode(Image image, StandardizationOptions o)
    {
        // Quality and size rise together: the highest quality that fits is the q that fits while q + 1 does not (or 100).
        // Rather than bisecting 60–100 (7 encodes), each probe is placed where the sizes seen so far say the limit is
        // (interpolated in log size), inside the interval still open: 2–4 encodes of the 480×640 image.
        var lo = o.JpegMinQuality - 1;   // highest quality known to fit (below the range: none yet)
        var hi = 101;                    // lowest quality known not to fit
        byte[]? best = null;
        (int Q, double LogBytes)? fit = null, over = null;
        var q = Math.Clamp(StartQuality, o.JpegMinQuality, 100);
        while (true)
        {
            var bytes = Save(image, q, o.Dpi);
            if (bytes.Length <= o.JpegMaxBytes)
            {
                (lo, best, fit) = (q, bytes, (q, Math.Log(bytes.Length)));
            }
            else
            {
                hi = q;
                over = (q, Math.Log(bytes.Length));
                if (q == o.JpegMinQuality)
                {
                    return (bytes, q); // even the lowest quality is too large: the file_size measure reports it
                }
            }

            if (hi == lo + 1 || lo == 100)
            {
                return (best!, lo);
            }

            var target = Math.Log(o.JpegMaxBytes);
            double guess;
            if (fit is { } a && over is { } b && b.LogBytes > a.LogBytes)
            {
                guess = a.Q + (target - a.LogBytes) * (b.Q - a.Q) / (b.LogBytes - a.LogBytes);
            }
            else
            {
                var (pq, pl) = fit ?? over!.Value;
                guess = pq + (target - pl) / LogSlope;
            }

            // Inside the open interval (lo, hi); a probe right next to a bound settles that side in one encode.
            q = Math.Clamp((int)Math.Floor(guess), Math.Max(lo + 1, o.JpegMinQuality), hi - 1);
        }
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
