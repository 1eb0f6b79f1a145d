namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>An 8-bit, 3-band sRGB image in memory, row-major.</summary>
internal sealed record RgbPixels(byte[] Data, int Width, int Height)
{
    public (byte R, byte G, byte B) At(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return (Data[i], Data[i + 1], Data[i + 2]);
    }
}
