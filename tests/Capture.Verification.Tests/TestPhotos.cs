using NetVips;

namespace Capture.Verification.Tests;

/// <summary>Real JPEGs made for a test: noise over a gradient, so each is different and its size can be steered.</summary>
public static class TestPhotos
{
    /// <summary>A 480×640 JPEG between 20 and 40 KB (CHSI's standard photo), different every call.</summary>
    public static byte[] Standard() => Make(480, 640, 20 * 1024, 40 * 1024);

    public static byte[] Make(int width, int height, int minBytes, int maxBytes)
    {
        for (var sigma = 6.0; sigma < 200; sigma *= 1.3)
        {
            foreach (var q in new[] { 60, 75, 85, 40, 25 })
            {
                using var noise = Image.Gaussnoise(width, height, mean: 128 + Random.Shared.Next(-20, 20), sigma: sigma);
                using var rgb = noise.Cast(Enums.BandFormat.Uchar).Bandjoin(noise.Cast(Enums.BandFormat.Uchar), noise.Cast(Enums.BandFormat.Uchar));
                using var srgb = rgb.Copy(interpretation: Enums.Interpretation.Srgb);
                var jpeg = srgb.JpegsaveBuffer(q: q);
                if (jpeg.Length >= minBytes && jpeg.Length <= maxBytes)
                {
                    return jpeg;
                }
            }
        }

        throw new InvalidOperationException($"Could not make a {width}×{height} JPEG of {minBytes}-{maxBytes} bytes.");
    }
}
