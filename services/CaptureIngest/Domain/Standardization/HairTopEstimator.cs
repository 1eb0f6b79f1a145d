namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// The top of the hair: from the face box upward in the face's central column band, the first rows that look like the
/// background beside the head. Falls back to a fixed fraction of the face box when the scan finds nothing plausible.
/// </summary>
internal static class HairTopEstimator
{
    /// <summary>Where the hair usually starts above a Haar face box, as a fraction of its height (measured on frontal portraits).</summary>
    public const double FallbackAboveFace = 0.25;

    private const double BackgroundDistance = 45;   // RGB distance from the background reference that still counts as background
    private const double BackgroundRowShare = 0.9;  // share of a row's band pixels that must be background
    private const int BackgroundRows = 3;           // consecutive background rows that end the hair

    public static (double Y, bool Estimated, bool ReachedTop) Estimate(RgbPixels img, DetectedFace face, (byte R, byte G, byte B) campaignColour)
    {
        var reference = LocalBackground(img, face) ?? campaignColour;
        var x0 = Math.Max(0, (int)(face.CentreX - 0.25 * face.Width));
        var x1 = Math.Min(img.Width - 1, (int)(face.CentreX + 0.25 * face.Width));
        var start = Math.Min(img.Height - 1, (int)(face.Y + 0.05 * face.Height));
        if (x1 <= x0 || start <= 0)
        {
            return (Math.Max(0, face.Y - FallbackAboveFace * face.Height), true, start <= 0);
        }

        var run = 0;
        for (var y = start; y >= 0; y--)
        {
            var bg = 0;
            for (var x = x0; x <= x1; x++)
            {
                var (r, g, b) = img.At(x, y);
                double dr = r - reference.R, dg = g - reference.G, db = b - reference.B;
                if (dr * dr + dg * dg + db * db < BackgroundDistance * BackgroundDistance)
                {
                    bg++;
                }
            }

            run = bg >= BackgroundRowShare * (x1 - x0 + 1) ? run + 1 : 0;
            if (run == BackgroundRows)
            {
                var top = y + BackgroundRows;
                // Hair further than 0.8 face heights above the box is not hair (a hat, a prop): estimate instead.
                return face.Y - top > 0.8 * face.Height
                    ? (face.Y - FallbackAboveFace * face.Height, true, false)
                    : (top, false, false);
            }
        }

        // The hair runs into the top edge of the frame, or (far above the face) the band never looks like the background:
        // a patterned or wrongly coloured backdrop, which its own measures report.
        return face.Y > 0.8 * face.Height
            ? (face.Y - FallbackAboveFace * face.Height, true, false)
            : (0, false, true);
    }

    /// <summary>The median colour of the strips beside the head, left and right, at forehead height; null if the strips are off the frame.</summary>
    private static (byte R, byte G, byte B)? LocalBackground(RgbPixels img, DetectedFace face)
    {
        var rs = new List<byte>();
        var gs = new List<byte>();
        var bs = new List<byte>();
        var y0 = Math.Max(0, (int)(face.Y - 0.3 * face.Height));
        var y1 = Math.Min(img.Height - 1, (int)(face.Y + 0.2 * face.Height));
        foreach (var (from, to) in new[] { (face.X - 0.5 * face.Width, face.X - 0.3 * face.Width), (face.X + 1.3 * face.Width, face.X + 1.5 * face.Width) })
        {
            for (var y = y0; y <= y1; y++)
            {
                for (var x = Math.Max(0, (int)from); x <= Math.Min(img.Width - 1, (int)to); x++)
                {
                    var (r, g, b) = img.At(x, y);
                    rs.Add(r);
                    gs.Add(g);
                    bs.Add(b);
                }
            }
        }

        if (rs.Count < 20)
        {
            return null;
        }

        rs.Sort();
        gs.Sort();
        bs.Sort();
        return (rs[rs.Count / 2], gs[gs.Count / 2], bs[bs.Count / 2]);
    }
}
