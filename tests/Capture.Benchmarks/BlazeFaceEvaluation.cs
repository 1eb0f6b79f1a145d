using System.Globalization;
using System.Text;
using Capture.CaptureIngest.Domain.Standardization;
using Capture.CaptureIngest.Tests;
using NetVips;
using OpenCvSharp;

namespace Capture.Benchmarks;

/// <summary>
/// <c>blazeface</c>: the two face detectors of the standardiser side by side on its test photos (no servers). For each photo:
/// what Haar finds (box, eyes), what BlazeFace finds on the whole frame and on its second look (raw boxes and keypoints,
/// before the calibration), the ratios the calibration is fitted from, and then the whole standardisation with each detector:
/// its measures, its verdict, and the output measured again with Haar (as the tests do). The model is the one
/// deploy/local/prerequisites.sh installs (or <c>BENCHMARK_BLAZEFACE_MODEL</c>).
/// </summary>
public static class BlazeFaceEvaluation
{
    public const string Name = "blazeface";

    private static readonly (string Name, Func<string> Path)[] Photos =
    [
        ("good", () => TestPhotos.Good), ("good-landscape", () => TestPhotos.GoodLandscape), ("exif-orientation-6", () => TestPhotos.ExifRotated),
        ("shifted", () => TestPhotos.Shifted), ("too-far", () => TestPhotos.TooFar), ("too-close", () => TestPhotos.TooClose),
        ("rotated", () => TestPhotos.Rotated), ("blurred", () => TestPhotos.Blurred), ("dark", () => TestPhotos.Dark),
        ("over-exposed", () => TestPhotos.OverExposed), ("grey-background", () => TestPhotos.GreyBackground),
        ("striped-background", () => TestPhotos.StripedBackground), ("colour-cast", () => TestPhotos.ColourCast),
        ("two-faces", () => TestPhotos.TwoFaces), ("no-face", () => TestPhotos.NoFace), ("noise", () => TestPhotos.Noise),
    ];

    private static readonly string[] Measures = ["face_count", "face_width", "eye_height", "hair_top", "framing", "head_roll", "background_uniformity", "sharpness", "exposure", "colour_cast"];

    public static string Run()
    {
        var md = new StringBuilder();
        var haarOptions = new StandardizationOptions { FaceDetector = FaceDetectorKind.Haar };
        var blazeOptions = new StandardizationOptions { BlazeFaceModelPath = Environment.GetEnvironmentVariable("BENCHMARK_BLAZEFACE_MODEL") };
        var model = FaceDetectors.ResolveModel(blazeOptions.BlazeFaceModelPath, out var searched)
            ?? throw new InvalidOperationException($"no BlazeFace model at {string.Join(", ", searched)}: run deploy/local/prerequisites.sh");
        using var haar = new HaarFaceFinder(haarOptions);
        using var blaze = new BlazeFaceDetector(model, blazeOptions);
        using var haarStandardizer = new PhotoStandardizer(haarOptions);
        using var blazeStandardizer = new PhotoStandardizer(blazeOptions);
        using var ruler = new HaarFaceDetector(haarOptions.CascadeDirectory);

        md.AppendLine(CultureInfo.InvariantCulture, $"Model {model}; whole-frame score ≥ {blazeOptions.BlazeFaceMinScore}, second look on {blazeOptions.BlazeFaceRefineCrop} × the box. Display pixels of the source; eye Y and offsets in units of the Haar box height.");
        md.AppendLine();
        md.AppendLine("| photo | Haar: box, eye line, roll | BlazeFace whole frame: faces, box, roll | second look: box, roll | width B/H | B top − H top | B eye − H eye | eye in box H / B | eye mid − box centre (B, ×W) |");
        md.AppendLine("| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: |");
        var eyes = new List<double>();
        var pairs = new List<(double WidthRatio, double HaarEye, double BlazeEye, double EyeDelta, double CentreDelta)>();
        foreach (var (name, path) in Photos)
        {
            var file = path();
            using var photo = Decode(haarOptions, file);
            var h = haar.Detect(photo, new Dictionary<string, double>(), default).OrderByDescending(f => f.EyesFound).ThenByDescending(f => f.Area).FirstOrDefault();
            var b = blaze.Find(photo, new Dictionary<string, double>(), default);
            var haarFaces = haar.Detect(photo, new Dictionary<string, double>(), default).Where(f => f.EyesFound).ToList();
            foreach (var (whole, refined) in b)
            {
                var c = refined ?? whole;
                var box = new DetectedFace(c.CentreX - c.Width / 2, c.CentreY - c.Height / 2, c.Width, c.Height, c.LeftEye, c.RightEye);
                if (haarFaces.Select(f => (Face: f, Iou: Iou(f, box))).Where(x => x.Iou >= 0.3).OrderByDescending(x => x.Iou).Select(x => x.Face).FirstOrDefault() is { } hf)
                {
                    eyes.Add(Math.Sqrt(Math.Pow(c.RightEye.X - c.LeftEye.X, 2) + Math.Pow(c.RightEye.Y - c.LeftEye.Y, 2)) / hf.Width);
                    pairs.Add((box.Width / hf.Width, (hf.EyeY - hf.Y) / hf.Height, (box.EyeY - box.Y) / box.Height, (box.EyeY - hf.EyeY) / hf.Height, (hf.X + hf.Width / 2 - c.CentreX) / hf.Width));
                }
            }

            var cells = new List<string>
            {
                h is null ? "-" : Inv($"{h.X:0},{h.Y:0} {h.Width:0}×{h.Height:0}, eye {(h.EyesFound ? h.EyeY.ToString("0", CultureInfo.InvariantCulture) : "-")}, roll {h.RollDegrees:0.0}"),
                b.Count == 0 ? "0" : $"{b.Count}, " + string.Join("; ", b.Take(2).Select(f => Box(f.Whole))),
                b.Count == 0 || b[0].Refined is null ? "-" : Box(b[0].Refined!),
            };
            // The ratios compare one face: the BlazeFace face that overlaps Haar's (two-faces: Haar's is the left one).
            var same = h is null ? null : b.Select(f => f.Refined ?? f.Whole).MaxBy(c => Iou(h, new DetectedFace(c.CentreX - c.Width / 2, c.CentreY - c.Height / 2, c.Width, c.Height, null, null)));
            if (h is not null && same is not null)
            {
                var r = same;
                var eyeY = (r.LeftEye.Y + r.RightEye.Y) / 2;
                var top = r.CentreY - r.Height / 2;
                cells.Add(Inv($"{r.Width / h.Width:0.000}"));
                cells.Add(Inv($"{(top - h.Y) / h.Height:0.000}"));
                cells.Add(h.EyesFound ? Inv($"{(eyeY - h.EyeY) / h.Height:0.000}") : "-");
                cells.Add(Inv($"{(h.EyesFound ? ((h.EyeY - h.Y) / h.Height).ToString("0.000", CultureInfo.InvariantCulture) : "-")} / {(eyeY - top) / r.Height:0.000}"));
                cells.Add(Inv($"{((r.LeftEye.X + r.RightEye.X) / 2 - r.CentreX) / r.Width:0.000}"));
            }
            else
            {
                cells.AddRange(["-", "-", "-", "-", "-"]);
            }

            md.AppendLine($"| {name} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Calibration pairs (each BlazeFace face with the Haar face it overlaps, IoU ≥ 0.3; second look if made): {pairs.Count}. BlazeFace width ÷ Haar width: {Stats(pairs.Select(p => p.WidthRatio))}; Haar: eye line at {Stats(pairs.Select(p => p.HaarEye))} of its box height below its top; BlazeFace: {Stats(pairs.Select(p => p.BlazeEye))} of its box; BlazeFace eye line − Haar eye line: {Stats(pairs.Select(p => p.EyeDelta))} Haar box heights; Haar box centre − BlazeFace box centre: {Stats(pairs.Select(p => p.CentreDelta))} Haar box widths. Eye distance ÷ Haar width: {Stats(eyes)}.");
        md.AppendLine();
        md.AppendLine("Whole standardisation, Haar → BlazeFace: each measure's value (✗ = fails), the verdict, and the output measured again with Haar (face width, eye line, hair top, centre x).");
        md.AppendLine();
        md.AppendLine("| photo | " + string.Join(" | ", Measures) + " | verdict | Haar on the output |");
        md.AppendLine("| --- | " + string.Join(" | ", Measures.Select(_ => "---")) + " | --- | --- |");
        foreach (var (name, path) in Photos)
        {
            var file = path();
            var rh = haarStandardizer.Standardize(file);
            var rb = blazeStandardizer.Standardize(file);
            var cells = Measures.Select(m => $"{Value(rh, m)} → {Value(rb, m)}");
            md.AppendLine($"| {name} | {string.Join(" | ", cells)} | {Verdict(rh)} → {Verdict(rb)} | {Remeasure(rh, ruler)} → {Remeasure(rb, ruler)} |");
        }

        return md.ToString();
    }

    private static DecodedPhoto Decode(StandardizationOptions o, string file)
    {
        using var header = NetVips.Image.NewFromFile(file);
        var orientation = header.Contains("orientation") ? Convert.ToInt32(header.Get("orientation"), CultureInfo.InvariantCulture) : 1;
        var (w, hh) = orientation is >= 5 and <= 8 ? (header.Height, header.Width) : (header.Width, header.Height);
        return DecodedPhoto.Decode(o, file, w, hh, orientation);
    }

    private static string Box(BlazeFaceDetector.Candidate c) =>
        Inv($"{c.CentreX - c.Width / 2:0},{c.CentreY - c.Height / 2:0} {c.Width:0}×{c.Height:0} s{c.Score:0.00}, eye {(c.LeftEye.Y + c.RightEye.Y) / 2:0}, roll {Math.Atan2(c.RightEye.Y - c.LeftEye.Y, c.RightEye.X - c.LeftEye.X) * 180 / Math.PI:0.0}");

    private static string Value(StandardizationResult r, string measure) =>
        r.Report[measure] is { } m ? Inv($"{m.Value}{(m.Passed ? "" : "✗")}") : "-";

    private static string Verdict(StandardizationResult r) =>
        r.Outcome == StandardizationOutcome.Rejected ? "rejected" : r.Report.Passed ? "pass" : "fail";

    private static string Remeasure(StandardizationResult r, HaarFaceDetector ruler)
    {
        if (r.Jpeg is null)
        {
            return "-";
        }

        using var image = NetVips.Image.NewFromBuffer(r.Jpeg);
        var pixels = new RgbPixels(image.WriteToMemory<byte>(), image.Width, image.Height);
        using var grey = VipsPixels.GreyMat(pixels);
        var face = ruler.Detect(grey, 100).FirstOrDefault();
        if (face is null)
        {
            return "no face";
        }

        var hair = HairTopEstimator.Estimate(pixels, face, (100, 197, 255));
        return Inv($"{face.Width:0}, {face.EyeY:0}{(face.EyesFound ? "" : "?")}, {hair.Y:0}, {face.CentreX:0}");
    }

    private static double Iou(DetectedFace a, DetectedFace b)
    {
        var w = Math.Max(0, Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X));
        var h = Math.Max(0, Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y));
        return w * h / (a.Area + b.Area - w * h);
    }

    private static string Stats(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count == 0)
        {
            return "-";
        }

        var mean = v.Average();
        var sd = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        return Inv($"mean {mean:0.000} (SD {sd:0.000}, {v.Min():0.000}–{v.Max():0.000})");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
