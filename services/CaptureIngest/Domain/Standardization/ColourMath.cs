using System.Globalization;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>sRGB ↔ CIE L*a*b* (D65) and CIE76 ΔE, for the background and skin measures.</summary>
internal static class ColourMath
{
    private static readonly double[] Linear = Enumerable.Range(0, 256).Select(i =>
    {
        var c = i / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }).ToArray();

    public static (byte R, byte G, byte B) ParseHex(string hex)
    {
        var s = hex.Trim().TrimStart('#');
        if (s.Length != 6 || !int.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            throw new ArgumentException($"'{hex}' is not a colour of the form #RRGGBB", nameof(hex));
        }

        return ((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    public static (double L, double A, double B) ToLab(byte r, byte g, byte b)
    {
        double rl = Linear[r], gl = Linear[g], bl = Linear[b];
        var x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / 0.95047;
        var y = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl;
        var z = (0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl) / 1.08883;
        double fx = F(x), fy = F(y), fz = F(z);
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));

        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    public static double DeltaE((double L, double A, double B) p, (double L, double A, double B) q)
    {
        double dl = p.L - q.L, da = p.A - q.A, db = p.B - q.B;
        return Math.Sqrt(dl * dl + da * da + db * db);
    }

    /// <summary>BT.601 luma, 0–255.</summary>
    public static double Luma(byte r, byte g, byte b) => 0.299 * r + 0.587 * g + 0.114 * b;
}
