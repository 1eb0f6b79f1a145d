using System.Buffers.Binary;

namespace Capture.CaptureIngest.Tests.Standardization;

/// <summary>Reads a JPEG's marker segments up to the start of scan: what metadata it carries and its JFIF density.</summary>
public sealed record JpegMarkers(IReadOnlyList<(byte Marker, byte[] Payload)> Segments)
{
    public static JpegMarkers Read(byte[] jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new InvalidDataException("not a JPEG (no SOI marker)");
        }

        var segments = new List<(byte, byte[])>();
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            segments.Add((marker, jpeg.AsSpan(i + 4, length - 2).ToArray()));
            if (marker == 0xDA)
            {
                break;
            }

            i += 2 + length;
        }

        return new JpegMarkers(segments);
    }

    /// <summary>The JFIF APP0 density as (units, x, y): units 1 = dots per inch.</summary>
    public (int Units, int X, int Y)? JfifDensity => Segments
        .Where(s => s.Marker == 0xE0 && s.Payload.Length >= 12 && s.Payload.AsSpan(0, 5).SequenceEqual("JFIF\0"u8))
        .Select(s => ((int)s.Payload[7], (int)BinaryPrimitives.ReadUInt16BigEndian(s.Payload.AsSpan(8)), (int)BinaryPrimitives.ReadUInt16BigEndian(s.Payload.AsSpan(10))))
        .Cast<(int, int, int)?>()
        .FirstOrDefault();

    /// <summary>APP1..APP15 and COM segments: EXIF, XMP, ICC, IPTC, comments.</summary>
    public IReadOnlyList<string> Metadata => Segments
        .Where(s => s.Marker is >= 0xE1 and <= 0xEF or 0xFE)
        .Select(s => $"{(s.Marker == 0xFE ? "COM" : $"APP{s.Marker - 0xE0}")}:{System.Text.Encoding.ASCII.GetString(s.Payload, 0, Math.Min(12, s.Payload.Length)).TrimEnd('\0')}")
        .ToList();

    /// <summary>Width and height from the start-of-frame segment.</summary>
    public (int Width, int Height, int Components) Frame => Segments
        .Where(s => s.Marker is 0xC0 or 0xC1 or 0xC2)
        .Select(s => ((int)BinaryPrimitives.ReadUInt16BigEndian(s.Payload.AsSpan(3)), (int)BinaryPrimitives.ReadUInt16BigEndian(s.Payload.AsSpan(1)), (int)s.Payload[5]))
        .First();
}
