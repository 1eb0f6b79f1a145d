using System.Diagnostics;
using Capture.CaptureIngest.Domain.Standardization;
using NetVips;
using OpenCvSharp;
using Xunit.Abstractions;
using N = Capture.CaptureIngest.Domain.Standardization.QualityMeasureNames;

namespace Capture.CaptureIngest.Tests.Standardization;

/// <summary>The CHSI photo rules on real images: the good capture passes, each variant fails its measure, broken files are rejected.</summary>
public sealed class PhotoStandardizerTests(StandardizerFixture fixture, ITestOutputHelper output) : IClassFixture<StandardizerFixture>
{
    private static readonly string[] AllMeasures =
    [
        N.FaceCount, N.FaceWidth, N.EyeHeight, N.HairTop, N.Framing, N.HeadRoll, N.BackgroundUniformity, N.BackgroundColour,
        N.Sharpness, N.Exposure, N.HighlightClipping, N.ColourCast,
    ];

    public static TheoryData<string> GoodPhotos => ["good", "good-landscape", "exif-orientation-6"];

    public static TheoryData<string, string> Variants => new()
    {
        { "shifted", N.Framing },
        { "too-far", N.Framing },
        { "too-close", N.Framing },
        { "rotated", N.HeadRoll },
        { "blurred", N.Sharpness },
        { "dark", N.Exposure },
        { "over-exposed", N.Exposure },
        { "over-exposed", N.HighlightClipping },
        { "grey-background", N.BackgroundColour },
        { "striped-background", N.BackgroundUniformity },
        { "colour-cast", N.ColourCast },
        { "two-faces", N.FaceCount },
    };

    internal static string Photo(string name) => name switch
    {
        "good" => TestPhotos.Good,
        "good-landscape" => TestPhotos.GoodLandscape,
        "exif-orientation-6" => TestPhotos.ExifRotated,
        "shifted" => TestPhotos.Shifted,
        "too-far" => TestPhotos.TooFar,
        "too-close" => TestPhotos.TooClose,
        "rotated" => TestPhotos.Rotated,
        "blurred" => TestPhotos.Blurred,
        "dark" => TestPhotos.Dark,
        "over-exposed" => TestPhotos.OverExposed,
        "grey-background" => TestPhotos.GreyBackground,
        "striped-background" => TestPhotos.StripedBackground,
        "colour-cast" => TestPhotos.ColourCast,
        "two-faces" => TestPhotos.TwoFaces,
        "no-face" => TestPhotos.NoFace,
        "noise" => TestPhotos.Noise,
        "truncated" => TestPhotos.Truncated,
        "empty" => TestPhotos.Empty,
        "bomb" => TestPhotos.DecompressionBomb,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(GoodPhotos))]
    public void A_good_capture_passes_every_measure(string name)
    {
        var result = fixture.Standardizer.Standardize(Photo(name));

        Print(name, result);
        Assert.Equal(StandardizationOutcome.Standardized, result.Outcome);
        Assert.Null(result.RejectReason);
        Assert.All(AllMeasures, m => Assert.NotNull(result.Report[m]));
        Assert.All(result.Report.Measures, m => Assert.True(m.Passed, $"{m.Name} = {m.Value} ({m.Threshold}): {m.ReasonEn}"));
        Assert.True(result.Report.Passed);
        Assert.True(result.Report[N.HeadRoll]!.ReasonEn == "OK", "the eyes were found, so roll was measured");
    }

    [Fact]
    public void Exif_orientation_is_applied_before_cropping()
    {
        var result = fixture.Standardizer.Standardize(TestPhotos.ExifRotated);

        // Stored 6000×4000 on its side; displayed (and standardised) upright as 4000×6000.
        Assert.Equal((4000, 6000), (result.SourceWidth, result.SourceHeight));
        Assert.True(result.Report.Passed);
    }

    [Theory]
    [MemberData(nameof(GoodPhotos))]
    public void The_standardised_photo_meets_the_CHSI_spec_when_measured_again(string name)
    {
        var o = fixture.Options;
        var jpeg = fixture.Standardizer.Standardize(Photo(name)).Jpeg!;

        var markers = JpegMarkers.Read(jpeg);
        Assert.Equal((480, 640, 3), markers.Frame);
        Assert.InRange(jpeg.Length, 20 * 1024, 40 * 1000);
        Assert.Equal((1, 300, 300), markers.JfifDensity);
        Assert.Empty(markers.Metadata);

        using var image = NetVips.Image.NewFromBuffer(jpeg);
        Assert.Equal(Enums.Interpretation.Srgb, image.Interpretation);
        Assert.Equal(300 / 25.4, image.Xres, 2);
        var pixels = Pixels(image);
        using var grey = Grey(pixels);
        using var detector = new HaarFaceDetector(o.CascadeDirectory);
        var face = detector.Detect(grey, 100).First();
        var hair = HairTopEstimator.Estimate(pixels, face, (100, 197, 255));
        output.WriteLine($"{name}: {jpeg.Length} B; re-detected face width {face.Width:0}, eye line {face.EyeY:0} (eyes {(face.EyesFound ? "found" : "estimated")}), hair top {hair.Y:0}");
        Assert.True(face.EyesFound);
        Assert.InRange(face.Width, o.FaceWidthMin, o.FaceWidthMax);
        Assert.InRange(face.EyeY, o.EyeLineMin, o.EyeLineMax);
        Assert.InRange(hair.Y, o.HairTopMin, o.HairTopMax);
        Assert.InRange(face.CentreX, 240 - 30, 240 + 30);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_variant_fails_the_measure_it_was_made_to_fail(string name, string measure)
    {
        var result = fixture.Standardizer.Standardize(Photo(name));

        Print(name, result);
        Assert.Equal(StandardizationOutcome.Standardized, result.Outcome);
        var m = result.Report[measure];
        Assert.NotNull(m);
        Assert.False(m.Passed, $"{measure} = {m.Value} ({m.Threshold}) should fail on {name}");
        Assert.False(result.Report.Passed);
        Assert.False(string.IsNullOrWhiteSpace(m.ReasonZh));
        Assert.False(string.IsNullOrWhiteSpace(m.ReasonEn));
        Assert.NotEqual("OK", m.ReasonEn);
        Assert.NotEqual("合格", m.ReasonZh);
        Assert.False(string.IsNullOrWhiteSpace(m.Threshold));
    }

    [Theory]
    [InlineData("empty", "not a readable image")]
    [InlineData("truncated", "not a readable image")]
    [InlineData("bomb", "too large to decode")]
    [InlineData("no-face", "no face found")]
    [InlineData("noise", "no face found")]
    public void A_broken_or_faceless_photo_is_rejected_with_a_reason(string name, string reason)
    {
        var clock = Stopwatch.StartNew();
        var result = fixture.Standardizer.Standardize(Photo(name));
        clock.Stop();

        output.WriteLine($"{name}: {result.RejectReason} ({clock.ElapsedMilliseconds} ms)");
        Assert.Equal(StandardizationOutcome.Rejected, result.Outcome);
        Assert.Null(result.Jpeg);
        Assert.Contains(reason, result.RejectReason);
        Assert.False(result.Report.Passed);
    }

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header()
    {
        Assert.True(new FileInfo(TestPhotos.DecompressionBomb).Length < 10_000);
        var before = Process.GetCurrentProcess().WorkingSet64;
        var clock = Stopwatch.StartNew();

        var result = fixture.Standardizer.Standardize(TestPhotos.DecompressionBomb);

        clock.Stop();
        Assert.Equal((30000, 30000), (result.SourceWidth, result.SourceHeight));
        Assert.Contains("900 MP", result.RejectReason);
        // Decoding 2.7 GB of pixels would take seconds and gigabytes; reading the header takes neither.
        Assert.True(clock.ElapsedMilliseconds < 1000, $"{clock.ElapsedMilliseconds} ms");
        Assert.True(Process.GetCurrentProcess().WorkingSet64 - before < 200_000_000);
    }

    [Fact]
    public void A_campaign_with_another_backdrop_colour_judges_against_that_colour()
    {
        var grey = fixture.Standardizer.Standardize(TestPhotos.GreyBackground, backgroundColour: "#BEBEBE");
        var blue = fixture.Standardizer.Standardize(TestPhotos.Good, backgroundColour: "#BEBEBE");

        Assert.True(grey.Report[N.BackgroundColour]!.Passed);
        Assert.False(blue.Report[N.BackgroundColour]!.Passed);
    }

    [Fact]
    public void A_24_megapixel_photo_standardises_in_reasonable_time()
    {
        var photo = TestPhotos.GoodLandscape;
        fixture.Standardizer.Standardize(photo);
        var times = new List<double>();
        StandardizationResult? last = null;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            last = fixture.Standardizer.Standardize(photo);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        output.WriteLine($"6000×4000 JPEG ({new FileInfo(photo).Length / 1e6:0.0} MB): median {times[2]:0} ms, min {times[0]:0}, max {times[4]:0}; stages of the last: {string.Join(", ", last!.StageMilliseconds.Select(t => $"{t.Key} {t.Value}"))}; machine load {File.ReadAllText("/proc/loadavg").Trim()}");
        Assert.True(last.Report.Passed);
    }

    [Fact]
    public void A_capture_code_in_the_photo_is_decoded_and_a_photo_without_one_gives_null()
    {
        var code = $"CAPTURE:{Guid.NewGuid():N}:sig";

        Assert.Equal(code, fixture.Standardizer.DecodeQrCode(TestPhotos.WithQrCode(code)));
        Assert.Null(fixture.Standardizer.DecodeQrCode(TestPhotos.Good));
        Assert.Null(fixture.Standardizer.DecodeQrCode(TestPhotos.Truncated));
        Assert.Null(fixture.Standardizer.DecodeQrCode(TestPhotos.DecompressionBomb));
    }

    [Fact]
    public async Task Concurrent_calls_from_four_workers_give_the_same_results_as_one()
    {
        string[] names = ["good", "blurred", "shifted", "two-faces", "rotated", "no-face", "good-landscape", "dark"];
        var expected = names.ToDictionary(n => n, n => fixture.Standardizer.Standardize(Photo(n)));

        var work = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
            Enumerable.Range(0, names.Length).Select(i => names[(i + w * 2) % names.Length])
                .Select(n => (Name: n, Result: fixture.Standardizer.Standardize(Photo(n)))).ToList()));
        var results = (await Task.WhenAll(work)).SelectMany(r => r).ToList();

        Assert.Equal(4 * names.Length, results.Count);
        foreach (var (name, result) in results)
        {
            var want = expected[name];
            Assert.Equal(want.Outcome, result.Outcome);
            Assert.Equal(want.RejectReason, result.RejectReason);
            Assert.Equal(want.Report.Measures.Select(m => (m.Name, m.Value, m.Passed)), result.Report.Measures.Select(m => (m.Name, m.Value, m.Passed)));
            Assert.Equal(want.Jpeg, result.Jpeg);
        }
    }

    private void Print(string name, StandardizationResult result)
    {
        output.WriteLine($"{name}: {result.Outcome} {result.SourceWidth}×{result.SourceHeight}, q{result.JpegQuality}, {result.Jpeg?.Length} B, face {result.FaceBox}");
        foreach (var m in result.Report.Measures)
        {
            output.WriteLine($"  {(m.Passed ? "pass" : "FAIL")} {m.Name} = {m.Value} ({m.Threshold}) {m.ReasonEn} / {m.ReasonZh}");
        }
    }

    private static RgbPixels Pixels(NetVips.Image image) => new(image.WriteToMemory<byte>(), image.Width, image.Height);

    private static Mat Grey(RgbPixels p)
    {
        var grey = new byte[p.Width * p.Height];
        for (var i = 0; i < grey.Length; i++)
        {
            grey[i] = (byte)Math.Round(0.299 * p.Data[i * 3] + 0.587 * p.Data[i * 3 + 1] + 0.114 * p.Data[i * 3 + 2]);
        }

        return Mat.FromPixelData(p.Height, p.Width, MatType.CV_8UC1, grey).Clone();
    }
}
