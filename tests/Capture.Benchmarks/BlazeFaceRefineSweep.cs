using System.Globalization;
using System.Text;
using Capture.CaptureIngest.Domain.Standardization;
using Capture.CaptureIngest.Tests;
using NetVips;

namespace Capture.Benchmarks;

/// <summary>
/// <c>blazeface-sweep</c>: how the second look's crop size (and mirroring) changes BlazeFace's roll, score, box and eye line
/// on the test photos (the portrait's own roll is ~3°; rotated adds 15°), and up to which distance each detector still
/// finds a face (the too-far photo shrunk further). What <see cref="StandardizationOptions.BlazeFaceRefineCrop"/> was chosen from.
/// </summary>
public static class BlazeFaceRefineSweep
{
    public const string Name = "blazeface-sweep";

    public static string Run()
    {
        var sb = new StringBuilder();
        var model = FaceDetectors.ResolveModel(null, out _)!;
        var photos = new (string, string)[] { ("good", TestPhotos.Good), ("good-landscape", TestPhotos.GoodLandscape), ("shifted", TestPhotos.Shifted), ("too-far", TestPhotos.TooFar), ("too-close", TestPhotos.TooClose), ("rotated", TestPhotos.Rotated), ("blurred", TestPhotos.Blurred), ("dark", TestPhotos.Dark), ("over-exposed", TestPhotos.OverExposed), ("colour-cast", TestPhotos.ColourCast), ("two-faces", TestPhotos.TwoFaces) };
        var o0 = new StandardizationOptions();
        foreach (var f in new[] { 0.9, 0.8, 0.7, 0.6, 0.5 })
        {
            using var far = NetVips.Image.NewFromFile(TestPhotos.TooFar);
            using var small = far.Resize(f);
            using var canvas = small.Embed((6000 - small.Width) / 2, (4000 - small.Height) / 2, 6000, 4000, extend: Enums.Extend.Background, background: [100, 197, 255]);
            var file = Path.Combine(Path.GetTempPath(), $"farther-{f}.jpg");
            canvas.Jpegsave(file, q: 90);
            using var hs = new PhotoStandardizer(new StandardizationOptions { FaceDetector = FaceDetectorKind.Haar });
            using var bs = new PhotoStandardizer(new StandardizationOptions());
            var h = hs.Standardize(file);
            var b = bs.Standardize(file);
            File.Delete(file);
            sb.AppendLine(CultureInfo.InvariantCulture, $"too-far × {f} (face ~{160 * f:0} px): Haar {h.Outcome} {h.RejectReason} {h.FaceBox} {string.Join(",", h.Report.Measures.Where(m => !m.Passed).Select(m => m.Name))}; BlazeFace {b.Outcome} {b.RejectReason} {b.FaceBox} {string.Join(",", b.Report.Measures.Where(m => !m.Passed).Select(m => m.Name))}");
        }

        foreach (var (crop, mirrored) in new[] { 2.0, 2.5, 3.0, 3.5, 4.0, 5.0 }.SelectMany(c => new[] { (c, false), (c, true) }))
        {
            var o = new StandardizationOptions { BlazeFaceRefineCrop = crop, BlazeFaceRefineMirrored = mirrored };
            using var d = new BlazeFaceDetector(model, o);
            sb.Append(CultureInfo.InvariantCulture, $"crop {crop}{(mirrored ? " mirrored" : "")}: ");
            foreach (var (n, p) in photos)
            {
                using var header = NetVips.Image.NewFromFile(p);
                using var photo = DecodedPhoto.Decode(o0, p, header.Width, header.Height, 1);
                var f = d.Find(photo, new Dictionary<string, double>(), default)[0];
                var r = f.Refined;
                sb.Append(r is null ? $"{n} -; " : string.Create(CultureInfo.InvariantCulture, $"{n} {Math.Atan2(r.RightEye.Y - r.LeftEye.Y, r.RightEye.X - r.LeftEye.X) * 180 / Math.PI:0.0}° s{r.Score:0.00} w{r.Width:0} eye{(r.LeftEye.Y + r.RightEye.Y) / 2 - (r.CentreY - r.Height / 2):0}; "));
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }
}
