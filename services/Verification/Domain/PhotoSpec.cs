namespace Capture.Verification.Domain;

/// <summary>
/// CHSI's standard electronic photo, checked again before export: a baseline or progressive JPEG of 480×640 pixels
/// (width × height) whose size is within the accepted range (20–40 KB by default). Reads the header only.
/// </summary>
public static class PhotoSpec
{
    public const int Width = 480;
    public const int Height = 640;

    /// <summary>Null when the bytes meet the spec, else what is wrong (for the school's list).</summary>
    public static string? Check(ReadOnlySpan<byte> jpeg, long minBytes, long maxBytes)
    {
        if (jpeg.Length < minBytes || jpeg.Length > maxBytes)
        {
            return $"{jpeg.Length / 1024.0:0.#} KB, outside {minBytes / 1024} to {maxBytes / 1024} KB";
        }

        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            return "not a JPEG";
        }

        if (jpeg[^2] != 0xFF || jpeg[^1] != 0xD9)
        {
            return "JPEG is cut short (no end marker)";
        }

        var at = 2;
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                return "JPEG header is damaged";
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            var length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            var isFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isFrame)
            {
                if (at + 9 > jpeg.Length)
                {
                    return "JPEG header is damaged";
                }

                var height = (jpeg[at + 5] << 8) | jpeg[at + 6];
                var width = (jpeg[at + 7] << 8) | jpeg[at + 8];
                return width == Width && height == Height ? null : $"{width}×{height} pixels, not {Width}×{Height}";
            }

            if (marker == 0xDA || length < 2)
            {
                break;
            }

            at += 2 + length;
        }

        return "JPEG has no frame header";
    }
}
