namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>Chooses the crop that puts eye line, face width and top of hair inside the CHSI ranges, as near their targets as the face allows.</summary>
internal static class CropPlanner
{
    public static CropPlan Plan(StandardizationOptions o, double faceWidth, double eyeY, double hairTop, double centreX, int frameWidth, int frameHeight)
    {
        // Two unknowns (scale, top edge), three targets: try every face width in range and put the eye line where eye and
        // hair are best balanced for that scale; keep the least-cost feasible choice.
        var eyeToHair = Math.Max(1, eyeY - hairTop);
        (double Cost, double Scale, double EyeOut)? best = null;
        for (var fw = o.FaceWidthMin; fw <= o.FaceWidthMax; fw += 1)
        {
            var s = fw / faceWidth;
            var d = eyeToHair * s;
            var lo = Math.Max(o.EyeLineMin, o.HairTopMin + d);
            var hi = Math.Min(o.EyeLineMax, o.HairTopMax + d);
            if (lo > hi)
            {
                continue;
            }

            var eyeOut = Math.Clamp((o.EyeLineTarget + o.HairTopTarget + d) / 2, lo, hi);
            var cost = Sq((fw - o.FaceWidthTarget) / (o.FaceWidthMax - o.FaceWidthMin))
                       + Sq((eyeOut - o.EyeLineTarget) / (o.EyeLineMax - o.EyeLineMin))
                       + Sq((eyeOut - d - o.HairTopTarget) / (o.HairTopMax - o.HairTopMin));
            if (best is null || cost < best.Value.Cost)
            {
                best = (cost, s, eyeOut);
            }
        }

        // No scale satisfies all three (an unusual eye-to-hair distance): keep the face width and eye line on target.
        var (_, scale, eyeLine) = best ?? (0, o.FaceWidthTarget / faceWidth, o.EyeLineTarget);
        var w = o.Width / scale;
        var h = o.Height / scale;
        var ideal = new CropRect(centreX - w / 2, eyeY - eyeLine / scale, w, h);

        var over = new (string Edge, double Fraction)[]
        {
            ("left", Math.Max(0, -ideal.X) / w),
            ("right", Math.Max(0, ideal.Right - frameWidth) / w),
            ("top", Math.Max(0, -ideal.Y) / h),
            ("bottom", Math.Max(0, ideal.Bottom - frameHeight) / h),
        };
        var worst = over.MaxBy(e => e.Fraction);
        var tooClose = w > frameWidth || h > frameHeight || (over[0].Fraction > 0 && over[1].Fraction > 0) || (over[2].Fraction > 0 && over[3].Fraction > 0);

        // The actual crop: shrunk to fit when the frame is too small for it, then moved inside.
        var fit = Math.Min(1, Math.Min(frameWidth / w, frameHeight / h));
        var aw = w * fit;
        var ah = h * fit;
        var ax = Math.Clamp(centreX - aw / 2, 0, Math.Max(0, frameWidth - aw));
        var ay = Math.Clamp(eyeY - eyeLine / scale * fit, 0, Math.Max(0, frameHeight - ah));
        var actual = new CropRect(ax, ay, aw, ah);

        return new CropPlan(ideal, actual, worst.Fraction, worst.Fraction > 0 ? worst.Edge : null, tooClose, aw / o.Width);
    }

    private static double Sq(double v) => v * v;
}
