using NetVips;

namespace Capture.StationAgent.Tests;

/// <summary>Noise JPEGs and PNGs (each call different bytes), as a camera would write them.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width = 64, int height = 48, int quality = 80)
    {
        using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 40);
        using var rgb = noise.Bandjoin(noise, noise).Cast(Enums.BandFormat.Uchar);
        return rgb.JpegsaveBuffer(q: quality);
    }

    public static byte[] Png(int width = 64, int height = 48)
    {
        using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 40);
        return noise.Cast(Enums.BandFormat.Uchar).PngsaveBuffer();
    }
}
