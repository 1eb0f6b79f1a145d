using System.Globalization;
using OpenCvSharp;
using N = Capture.CaptureIngest.Domain.Standardization.QualityMeasureNames;

namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>Measures a standardised photo against the thresholds in <see cref="StandardizationOptions"/>, each with a reason a photographer acts on.</summary>
internal static class QualityMeasurer
{
    private const string OkZh = "合格";
    private const string OkEn = "OK";

    public static QualityMeasure FaceCount(int count) => count switch
    {
        1 => new(N.FaceCount, 1, "= 1", true, OkZh, OkEn),
        0 => new(N.FaceCount, 0, "= 1", false, "未检测到人脸：请学生正对镜头，摘下遮挡面部的物品", "No face found: the student should face the camera with nothing covering the face"),
        _ => new(N.FaceCount, count, "= 1", false, $"画面中有{count}张人脸：请只拍一位学生，其他人离开画面", $"{count} faces in the frame: photograph one student alone, everyone else out of the frame"),
    };

    public static IReadOnlyList<QualityMeasure> Geometry(StandardizationOptions o, OutputGeometry g, CropPlan plan)
    {
        var list = new List<QualityMeasure>();

        var fw = g.FaceWidth;
        list.Add(fw < o.FaceWidthMin
            ? new(N.FaceWidth, R(fw), Range(o.FaceWidthMin, o.FaceWidthMax, "px"), false, "脸在照片中太小：请靠近一些或拉近镜头", "Face too small in the photo: move closer or zoom in")
            : fw > o.FaceWidthMax
                ? new(N.FaceWidth, R(fw), Range(o.FaceWidthMin, o.FaceWidthMax, "px"), false, "脸在照片中太大：请后退一些或缩小焦距，让头肩完整入镜", "Face too large in the photo: step back or zoom out so head and shoulders fit")
                : new(N.FaceWidth, R(fw), Range(o.FaceWidthMin, o.FaceWidthMax, "px"), true, OkZh, OkEn));

        var eye = g.EyeY;
        var eyeNote = g.EyesFound ? "" : "（未检测到双眼，按人脸框估计）";
        var eyeNoteEn = g.EyesFound ? "" : " (eyes not found: estimated from the face box)";
        list.Add(eye < o.EyeLineMin
            ? new(N.EyeHeight, R(eye), Range(o.EyeLineMin, o.EyeLineMax, "px from top"), false, "眼睛位置太高，头顶空间不足：请把相机抬高一点或请学生坐低一点" + eyeNote, "Eyes too high, no room above the head: raise the camera a little or ask the student to sit lower" + eyeNoteEn)
            : eye > o.EyeLineMax
                ? new(N.EyeHeight, R(eye), Range(o.EyeLineMin, o.EyeLineMax, "px from top"), false, "眼睛位置太低：请把相机降低一点或请学生坐直、坐高一点" + eyeNote, "Eyes too low: lower the camera a little or ask the student to sit up straight" + eyeNoteEn)
                : new(N.EyeHeight, R(eye), Range(o.EyeLineMin, o.EyeLineMax, "px from top"), true, OkZh + eyeNote, OkEn + eyeNoteEn));

        var hair = g.HairTop;
        var hairNote = g.HairEstimated ? "（头顶按人脸框估计）" : "";
        var hairNoteEn = g.HairEstimated ? " (top of hair estimated from the face box)" : "";
        list.Add(hair < o.HairTopMin
            ? new(N.HairTop, R(hair), Range(o.HairTopMin, o.HairTopMax, "px from top"), false, "头顶离照片上边缘太近或被裁掉：请后退一点，头顶上方留出空间" + hairNote, "Top of the hair too near the top edge or cut off: step back a little and leave room above the head" + hairNoteEn)
            : hair > o.HairTopMax
                ? new(N.HairTop, R(hair), Range(o.HairTopMin, o.HairTopMax, "px from top"), false, "头顶上方空白太多：请靠近一点或请学生坐高一点" + hairNote, "Too much space above the head: move closer or ask the student to sit higher" + hairNoteEn)
                : new(N.HairTop, R(hair), Range(o.HairTopMin, o.HairTopMax, "px from top"), true, OkZh + hairNote, OkEn + hairNoteEn));

        var framingThreshold = string.Create(CultureInfo.InvariantCulture, $"≤ {o.FramingMaxOutside:0.###} of the crop outside the frame; ≥ {o.FramingMinSourceScale:0.##} source px per output px");
        var outside = R(plan.OutsideFraction, 3);
        if (plan.TooClose)
        {
            list.Add(new(N.Framing, outside, framingThreshold, false, "离得太近，头部和肩膀无法完整入镜：请后退或缩小焦距", "Too close: head and shoulders do not fit in the frame; step back or zoom out"));
        }
        else if (plan.OutsideFraction > o.FramingMaxOutside)
        {
            var (zh, en) = plan.OutsideEdge switch
            {
                "left" => ("人脸太靠近画面左边缘，被裁切：请让学生位于画面中央", "Face too near the left edge and cut off: centre the student in the frame"),
                "right" => ("人脸太靠近画面右边缘，被裁切：请让学生位于画面中央", "Face too near the right edge and cut off: centre the student in the frame"),
                "top" => ("头顶太靠近画面上边缘，被裁切：请把相机抬高或请学生坐低一点", "Head too near the top edge and cut off: raise the camera or ask the student to sit lower"),
                _ => ("画面下方空间不足，肩膀被裁切：请把相机降低或后退一点", "Not enough room below the face, shoulders cut off: lower the camera or step back"),
            };
            list.Add(new(N.Framing, outside, framingThreshold, false, zh, en));
        }
        else if (plan.SourceScale < o.FramingMinSourceScale)
        {
            list.Add(new(N.Framing, outside, framingThreshold, false,
                "离得太远，人脸像素不足，照片会被放大变糊：请靠近或拉近镜头",
                string.Create(CultureInfo.InvariantCulture, $"Too far: only {plan.SourceScale:0.00} source pixels per output pixel, the photo would be upscaled; move closer or zoom in")));
        }
        else
        {
            list.Add(new(N.Framing, outside, framingThreshold, true, OkZh, OkEn));
        }

        var rollThreshold = string.Create(CultureInfo.InvariantCulture, $"|roll| ≤ {o.MaxHeadRollDegrees:0.#}°");
        if (g.RollDegrees is not { } roll)
        {
            list.Add(new(N.HeadRoll, 0, rollThreshold, true, "未检测到双眼，无法测量头部倾斜，请目视确认头部端正", "Eyes not found: head roll not measured; check by eye that the head is level"));
        }
        else
        {
            var abs = Math.Abs(roll);
            list.Add(abs > o.MaxHeadRollDegrees
                ? new(N.HeadRoll, R(roll), rollThreshold, false, $"头部歪斜约{abs:0}°：请学生把头摆正，双眼保持水平", $"Head tilted about {abs:0}°: ask the student to hold the head level, eyes on one horizontal line")
                : new(N.HeadRoll, R(roll), rollThreshold, true, OkZh, OkEn));
        }

        return list;
    }

    public static IReadOnlyList<QualityMeasure> Pixels(StandardizationOptions o, RgbPixels img, OutputGeometry g, (byte R, byte G, byte B) campaign)
    {
        var list = new List<QualityMeasure>();

        // Background: the rows above the eye line, minus a band around the head (face box + 30 % each side) below the hair.
        var labs = new List<(double L, double A, double B)>();
        var headLeft = g.FaceX - 0.3 * g.FaceWidth;
        var headRight = g.FaceX + 1.3 * g.FaceWidth;
        var headTop = g.HairTop - 8;
        var bottom = Math.Min(img.Height - 4, (int)g.EyeY);
        for (var y = 4; y < bottom; y += 2)
        {
            for (var x = 4; x < img.Width - 4; x += 2)
            {
                if (y >= headTop && x >= headLeft && x <= headRight)
                {
                    continue;
                }

                var (r, gg, b) = img.At(x, y);
                labs.Add(ColourMath.ToLab(r, gg, b));
            }
        }

        var hex = $"#{campaign.R:X2}{campaign.G:X2}{campaign.B:X2}";
        var uniformityThreshold = string.Create(CultureInfo.InvariantCulture, $"RMS ΔE ≤ {o.BackgroundMaxDeviation:0.#}");
        var colourThreshold = string.Create(CultureInfo.InvariantCulture, $"ΔE from {hex} ≤ {o.BackgroundMaxColourDistance:0.#}");
        if (labs.Count < 200)
        {
            list.Add(new(N.BackgroundUniformity, 0, uniformityThreshold, false, "背景露出太少，无法检查：请后退一点，头部周围留出背景", "Too little background visible to check: step back and leave background around the head"));
            list.Add(new(N.BackgroundColour, 0, colourThreshold, false, "背景露出太少，无法检查颜色：请后退一点", "Too little background visible to check its colour: step back"));
        }
        else
        {
            var mean = (L: labs.Average(p => p.L), A: labs.Average(p => p.A), B: labs.Average(p => p.B));
            var rms = Math.Sqrt(labs.Average(p => Sq(ColourMath.DeltaE(p, mean))));
            list.Add(rms > o.BackgroundMaxDeviation
                ? new(N.BackgroundUniformity, R(rms), uniformityThreshold, false, "背景不均匀（有阴影、褶皱、渐变或杂物）：请整理背景布，均匀照亮背景，移开背景前的物品", "Background not uniform (shadows, creases, gradient or objects): straighten the backdrop, light it evenly, clear anything in front of it")
                : new(N.BackgroundUniformity, R(rms), uniformityThreshold, true, OkZh, OkEn));
            var distance = ColourMath.DeltaE(mean, ColourMath.ToLab(campaign.R, campaign.G, campaign.B));
            list.Add(distance > o.BackgroundMaxColourDistance
                ? new(N.BackgroundColour, R(distance), colourThreshold, false, $"背景颜色不符合要求（应为{hex}浅蓝色）：请使用规定的背景布，检查背景灯光和白平衡", $"Background colour is not the required {hex}: use the campaign's backdrop and check the background light and white balance")
                : new(N.BackgroundColour, R(distance), colourThreshold, true, OkZh, OkEn));
        }

        // Face: the inner face (cheeks, eyes, nose, mouth), clear of hair and background.
        var fx0 = Math.Clamp((int)(g.FaceX + 0.2 * g.FaceWidth), 0, img.Width - 1);
        var fx1 = Math.Clamp((int)(g.FaceX + 0.8 * g.FaceWidth), fx0 + 1, img.Width);
        var fy0 = Math.Clamp((int)(g.FaceY + 0.2 * g.FaceHeight), 0, img.Height - 1);
        var fy1 = Math.Clamp((int)(g.FaceY + 0.9 * g.FaceHeight), fy0 + 1, img.Height);
        int fw = fx1 - fx0, fh = fy1 - fy0;
        var grey = new byte[fw * fh];
        double sumL = 0, sumA = 0, sumB = 0;
        var clipped = 0;
        for (var y = fy0; y < fy1; y++)
        {
            for (var x = fx0; x < fx1; x++)
            {
                var (r, gg, b) = img.At(x, y);
                var luma = ColourMath.Luma(r, gg, b);
                grey[(y - fy0) * fw + (x - fx0)] = (byte)Math.Round(luma);
                if (luma >= o.HighlightClipLevel)
                {
                    clipped++;
                }

                var lab = ColourMath.ToLab(r, gg, b);
                sumL += lab.L;
                sumA += lab.A;
                sumB += lab.B;
            }
        }

        var n = (double)(fw * fh);
        double variance;
        using (var mat = Mat.FromPixelData(fh, fw, MatType.CV_8UC1, grey))
        using (var lap = new Mat())
        {
            Cv2.Laplacian(mat, lap, MatType.CV_64F);
            Cv2.MeanStdDev(lap, out _, out var sd);
            variance = sd.Val0 * sd.Val0;
        }

        var sharpThreshold = string.Create(CultureInfo.InvariantCulture, $"Laplacian variance ≥ {o.SharpnessMinLaplacianVariance:0.#}");
        list.Add(variance < o.SharpnessMinLaplacianVariance
            ? new(N.Sharpness, R(variance), sharpThreshold, false, "照片模糊：请对焦到眼睛，提高快门速度，并请学生保持不动", "Photo blurred: focus on the eyes, use a faster shutter speed, ask the student to hold still")
            : new(N.Sharpness, R(variance), sharpThreshold, true, OkZh, OkEn));

        var lightness = sumL / n;
        var exposureThreshold = string.Create(CultureInfo.InvariantCulture, $"face L* {o.ExposureMinLightness:0}–{o.ExposureMaxLightness:0}");
        list.Add(lightness < o.ExposureMinLightness
            ? new(N.Exposure, R(lightness), exposureThreshold, false, "脸部太暗：请增加面部灯光或提高曝光", "Face too dark: add light on the face or increase the exposure")
            : lightness > o.ExposureMaxLightness
                ? new(N.Exposure, R(lightness), exposureThreshold, false, "脸部太亮：请减弱灯光或降低曝光", "Face too bright: reduce the light or the exposure")
                : new(N.Exposure, R(lightness), exposureThreshold, true, OkZh, OkEn));

        var clippedShare = clipped / n;
        var clipThreshold = string.Create(CultureInfo.InvariantCulture, $"≤ {o.HighlightMaxClippedFraction:P0} of face pixels at luma ≥ {o.HighlightClipLevel}");
        list.Add(clippedShare > o.HighlightMaxClippedFraction
            ? new(N.HighlightClipping, R(clippedShare, 4), clipThreshold, false, "脸部高光过曝（发白无细节）：请降低闪光灯功率、使用柔光或让学生擦去脸上油光", "Blown highlights on the face: lower the flash, diffuse the light, or ask the student to blot a shiny face")
            : new(N.HighlightClipping, R(clippedShare, 4), clipThreshold, true, OkZh, OkEn));

        var cast = Math.Sqrt(Sq(sumA / n - o.SkinReferenceA) + Sq(sumB / n - o.SkinReferenceB));
        var castThreshold = string.Create(CultureInfo.InvariantCulture, $"face a*b* within {o.ColourCastMaxDistance:0.#} of skin ({o.SkinReferenceA:0}, {o.SkinReferenceB:0})");
        list.Add(cast > o.ColourCastMaxDistance
            ? new(N.ColourCast, R(cast), castThreshold, false, "照片偏色：请检查相机白平衡（设为闪光灯/日光）和灯光颜色", "Colour cast: check the camera's white balance (flash/daylight) and the colour of the lights")
            : new(N.ColourCast, R(cast), castThreshold, true, OkZh, OkEn));

        return list;
    }

    public static QualityMeasure FileSize(StandardizationOptions o, int bytes, int quality)
    {
        var threshold = string.Create(CultureInfo.InvariantCulture, $"{o.JpegMinBytes}–{o.JpegMaxBytes} bytes at quality ≥ {o.JpegMinQuality}");
        var ok = bytes >= o.JpegMinBytes && bytes <= o.JpegMaxBytes && quality >= o.JpegMinQuality;
        return ok
            ? new(N.FileSize, bytes, threshold, true, OkZh, OkEn)
            : new(N.FileSize, bytes, threshold, false, $"标准照文件大小为{bytes / 1024.0:0.#}KB（质量{quality}），不在要求范围内：通常因背景杂乱或噪点过多，请整理背景、降低ISO", $"The standardised file is {bytes / 1024.0:0.#} KB at quality {quality}, outside the required size: usually a busy background or noise; tidy the background, lower the ISO");
    }

    private static string Range(double min, double max, string unit) => string.Create(CultureInfo.InvariantCulture, $"{min:0}–{max:0} {unit}");

    private static double R(double v, int digits = 1) => Math.Round(v, digits);

    private static double Sq(double v) => v * v;
}
