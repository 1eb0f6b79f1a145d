using Capture.CaptureIngest.Domain.Standardization;
using Xunit.Abstractions;

namespace Capture.CaptureIngest.Tests.Standardization;

/// <summary>Prints the quality report of every test photo (the numbers behind docs/capture-standardization.md).</summary>
public sealed class StandardizationDiagnostics(ITestOutputHelper output)
{
    [Fact]
    public void Prints_the_report_of_every_test_photo()
    {
        using var standardizer = new PhotoStandardizer(new StandardizationOptions());
        var photos = new (string Name, Func<string> Path)[]
        {
            ("good", () => TestPhotos.Good), ("good-landscape", () => TestPhotos.GoodLandscape), ("exif-6", () => TestPhotos.ExifRotated),
            ("shifted", () => TestPhotos.Shifted), ("too-far", () => TestPhotos.TooFar), ("too-close", () => TestPhotos.TooClose),
            ("rotated", () => TestPhotos.Rotated), ("blurred", () => TestPhotos.Blurred), ("dark", () => TestPhotos.Dark),
            ("over-exposed", () => TestPhotos.OverExposed), ("grey-bg", () => TestPhotos.GreyBackground), ("striped-bg", () => TestPhotos.StripedBackground),
            ("colour-cast", () => TestPhotos.ColourCast), ("two-faces", () => TestPhotos.TwoFaces), ("no-face", () => TestPhotos.NoFace),
            ("noise", () => TestPhotos.Noise), ("truncated", () => TestPhotos.Truncated), ("empty", () => TestPhotos.Empty), ("bomb", () => TestPhotos.DecompressionBomb),
        };
        var outputs = new List<NetVips.Image>();
        foreach (var (name, path) in photos)
        {
            var file = path();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var result = standardizer.Standardize(file);
            sw.Stop();
            output.WriteLine($"{name}: {result.Outcome} {result.SourceWidth}×{result.SourceHeight} {sw.ElapsedMilliseconds} ms q{result.JpegQuality} {result.Jpeg?.Length} B {result.RejectReason} face {result.FaceBox} [{string.Join(", ", result.StageMilliseconds.Select(t => $"{t.Key} {t.Value}"))}]");
            foreach (var m in result.Report.Measures)
            {
                output.WriteLine($"    {(m.Passed ? "pass" : "FAIL")} {m.Name} = {m.Value} ({m.Threshold}) {m.ReasonEn} / {m.ReasonZh}");
            }

            if (result.Jpeg is not null)
            {
                outputs.Add(NetVips.Image.NewFromBuffer(result.Jpeg));
            }
        }

        // One PNG of all standardised outputs side by side, to look at.
        using var sheet = NetVips.Image.Arrayjoin([.. outputs], across: 8, shim: 4);
        sheet.WriteToFile(Path.Combine(TestPhotos.Directory, "outputs.png"));
        outputs.ForEach(o => o.Dispose());

        output.WriteLine(TestPhotos.Directory);
    }
}
