using System.Buffers.Binary;

namespace Capture.CaptureIngest.Domain;

/// <summary>What an upload's bytes are, read from their header and trailer only (no pixel is decoded).</summary>
public sealed record ImageHeader(string Format, string ContentType, int Width, int Height);

/// <summary>The outcome of reading an upload's header: an image we accept, or why not (415 or 422).</summary>
public sealed record HeaderCheck(ImageHeader? Header, int Status, string? Problem)
{
    public static HeaderCheck Ok(ImageHeader header) => new(header, 200, null);

    public static HeaderCheck Unsupported(string problem) => new(null, 415, problem);

    public static HeaderCheck Unprocessable(string problem) => new(null, 422, problem);
}

/// <summary>
/// Sniffs JPEG and PNG from their magic bytes, reads their dimensions from the header (JPEG SOF segment, PNG IHDR)
/// and checks their trailer (JPEG EOI, PNG IEND) so a truncated transfer is refused at upload. A picture larger than
/// <see cref="Limits.MaxPixels"/> is refused from its header: a 30000×30000 PNG of a few KB never reaches a decoder.
/// </summary>
public static class ImageSniffer
{
    /// <summary>What the first bytes say, for the 415 answer: "a PDF document", "a HEIF image", ...</summary>
    public static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0) return "an empty body";
        if (head.StartsWith("%PDF"u8)) return "a PDF document";
        if (head.StartsWith("GIF8"u8)) return "a GIF image";
        if (head.StartsWith("BM"u8)) return "a BMP image";
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return "a TIFF (or camera RAW) file";
        if (head.StartsWith("PK"u8)) return "a ZIP archive (or an Office document)";
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = System.Text.Encoding.ASCII.GetString(head[8..12]);
            return brand is "heic" or "heix" or "mif1" or "hevc" or "heim" or "heis" ? "a HEIF/HEIC image" : $"an ISO media file ({brand})";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "a WebP image";
        if (head.StartsWith("{"u8) || head.StartsWith("["u8)) return "JSON text";
        if (head.StartsWith("<"u8)) return "XML or HTML text";
        return "an unrecognised file";
    }

    public static bool IsJpeg(ReadOnlySpan<byte> head) => head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;

    public static bool IsPng(ReadOnlySpan<byte> head) => head.Length >= 8 && head[..8].SequenceEqual(PngSignature);

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> PngTrailer => [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    /// <summary>Checks a complete upload held in a seekable stream (a temporary file).</summary>
    public static HeaderCheck Check(Stream file, long maxPixels = Limits.MaxPixels)
    {
        if (file.Length == 0)
        {
            return HeaderCheck.Unprocessable("The body is empty (0 bytes): send the photo file itself.");
        }

        Span<byte> head = stackalloc byte[32];
        file.Position = 0;
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        ImageHeader? header;
        if (IsJpeg(head))
        {
            header = ReadJpeg(file);
            if (header is null)
            {
                return HeaderCheck.Unprocessable("The JPEG has no readable frame header (SOF): the file is corrupt or truncated. Send it again from the camera card.");
            }

            if (!EndsWith(file, [0xFF, 0xD9]))
            {
                return HeaderCheck.Unprocessable("The JPEG is truncated: it does not end with the end-of-image marker (FF D9). The transfer was cut off; send the file again.");
            }
        }
        else if (IsPng(head))
        {
            if (read < 24 || !head[12..16].SequenceEqual("IHDR"u8))
            {
                return HeaderCheck.Unprocessable("The PNG has no IHDR header: the file is corrupt.");
            }

            header = new ImageHeader("png", "image/png", (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(head[16..20])), (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(head[20..24])));
            if (!EndsWith(file, PngTrailer))
            {
                return HeaderCheck.Unprocessable("The PNG is truncated: it does not end with the IEND chunk. The transfer was cut off; send the file again.");
            }
        }
        else
        {
            return HeaderCheck.Unsupported($"The body is {Describe(head)}, not a photo this service accepts: send the camera's JPEG (image/jpeg) or a PNG.");
        }

        if (header.Width <= 0 || header.Height <= 0)
        {
            return HeaderCheck.Unprocessable($"The {header.Format.ToUpperInvariant()} header gives an empty picture ({header.Width}×{header.Height}): the file is corrupt.");
        }

        if ((long)header.Width * header.Height > maxPixels)
        {
            return HeaderCheck.Unprocessable(
                $"The picture is {header.Width}×{header.Height} pixels, more than the {maxPixels / 1_000_000} megapixels a capture camera makes: refused without decoding it.");
        }

        return HeaderCheck.Ok(header);
    }

    private static bool EndsWith(Stream file, ReadOnlySpan<byte> trailer)
    {
        // Some cameras pad the file after the end marker with zero bytes: look at the last non-zero bytes of the final 4 KB.
        var window = (int)Math.Min(4096, file.Length);
        var buffer = new byte[window];
        file.Position = file.Length - window;
        file.ReadExactly(buffer);
        var end = window;
        while (end > 0 && buffer[end - 1] == 0 && trailer[^1] != 0)
        {
            end--;
        }

        return end >= trailer.Length && buffer.AsSpan(end - trailer.Length, trailer.Length).SequenceEqual(trailer);
    }

    private static ImageHeader? ReadJpeg(Stream file)
    {
        // Walk the marker segments from SOI until a start-of-frame (SOF0..SOF15 but DHT C4, JPG C8, DAC CC).
        file.Position = 2;
        Span<byte> field = stackalloc byte[5];
        for (var segments = 0; segments < 1024; segments++)
        {
            if (file.ReadByte() != 0xFF)
            {
                return null;
            }

            int type;
            do
            {
                type = file.ReadByte();
            }
            while (type == 0xFF);

            if (type < 0 || type is 0xD9 or 0xDA)
            {
                return null;
            }

            if (type is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                continue; // markers without a length
            }

            if (file.ReadAtLeast(field[..2], 2, throwOnEndOfStream: false) < 2)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(field[..2]);
            if (length < 2)
            {
                return null;
            }

            if (type is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                // precision (1), height (2), width (2)
                if (file.ReadAtLeast(field, 5, throwOnEndOfStream: false) < 5)
                {
                    return null;
                }

                return new ImageHeader("jpeg", "image/jpeg", BinaryPrimitives.ReadUInt16BigEndian(field[3..5]), BinaryPrimitives.ReadUInt16BigEndian(field[1..3]));
            }

            file.Position += length - 2;
            if (file.Position >= file.Length)
            {
                return null;
            }
        }

        return null;
    }
}
