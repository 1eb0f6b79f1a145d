using NetVips;

namespace Capture.CaptureIngest.Tests;

/// <summary>Small synthetic images for upload and binding tests (each call different bytes); real portraits are in TestPhotos.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width = 64, int height = 48)
    {
        using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 40);
        using var rgb = noise.Bandjoin(noise, noise).Cast(Enums.BandFormat.Uchar);
        return rgb.JpegsaveBuffer(q: 80);
    }

    /// <summary>The same picture with other bytes: a JPEG comment (COM segment) with a fresh id right after SOI.</summary>
    public static byte[] Unique(byte[] jpeg)
    {
        var text = System.Text.Encoding.ASCII.GetBytes("capture-test " + Guid.NewGuid().ToString("N"));
        var length = text.Length + 2;
        return [.. jpeg[..2], 0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. text, .. jpeg[2..]];
    }

    public static byte[] Png(int width = 64, int height = 48)
    {
        using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 40);
        return noise.Cast(Enums.BandFormat.Uchar).PngsaveBuffer();
    }
}
