using Capture.StationAgent.Core;

namespace Capture.StationAgent.Tests;

/// <summary>The journal, the image check and the scan classification on their own (no server).</summary>
public sealed class JournalTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("agent-journal-").FullName;

    [Fact]
    public void Shots_count_per_shoot_number_and_survive_a_reopen_with_the_current_shoot_number()
    {
        var now = DateTimeOffset.UtcNow;
        using (var journal = Journal.Open(folder))
        {
            var early = journal.RecordImage("/cam/0.jpg", 10, 1, now, "00", "image/jpeg", now);
            Assert.Equal(ShotState.Unassigned, early.State);

            journal.SetCurrentShootNumber("B2-0001", keyframeNext: true);
            var first = journal.RecordImage("/cam/1.jpg", 10, 1, now, "aa", "image/jpeg", now);
            var second = journal.RecordImage("/cam/2.jpg", 10, 1, now, "bb", "image/jpeg", now);
            Assert.Equal((1, true), (first.ShotIndex, first.Keyframe));
            Assert.Equal((2, false), (second.ShotIndex, second.Keyframe));

            journal.SetCurrentShootNumber("B2-0002", keyframeNext: false);
            Assert.Equal(1, journal.RecordImage("/cam/3.jpg", 10, 1, now, "cc", "image/jpeg", now).ShotIndex);
            journal.MarkUploading(first.Id);
        }

        using (var reopened = Journal.Open(folder))
        {
            Assert.Equal("B2-0002", reopened.CurrentShootNumber);
            Assert.Equal(["/cam/1.jpg", "/cam/2.jpg", "/cam/3.jpg"], reopened.Unsent().Select(s => s.Path));
            Assert.Equal(ShotState.Uploading, reopened.Unsent()[0].State);
            Assert.NotNull(reopened.FindByFile("/cam/2.jpg", 10, 1));
            Assert.Null(reopened.FindByFile("/cam/2.jpg", 11, 1));

            // Back to the first student (typed by hand after a mix-up): numbering goes on where it was.
            reopened.SetCurrentShootNumber("B2-0001", keyframeNext: false);
            Assert.Equal(3, reopened.RecordImage("/cam/4.jpg", 10, 1, now, "dd", "image/jpeg", now).ShotIndex);
            Assert.Equal(4, reopened.Queue().Count);
        }
    }

    [Fact]
    public void A_file_is_complete_only_with_its_trailer_and_other_formats_are_not_images()
    {
        var jpeg = TestImages.Jpeg();
        var path = Path.Combine(folder, "a.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);
        Assert.Equal(ImageFileState.Incomplete, ImageFile.Check(path).State);
        File.WriteAllBytes(path, jpeg);
        Assert.Equal(ImageFileState.Complete, ImageFile.Check(path).State);

        var png = TestImages.Png();
        File.WriteAllBytes(path, png[..^4]);
        Assert.Equal(ImageFileState.Incomplete, ImageFile.Check(path).State);
        File.WriteAllBytes(path, png);
        Assert.Equal(("image/png", ImageFileState.Complete), (ImageFile.Check(path).ContentType, ImageFile.Check(path).State));

        File.WriteAllText(path, "%PDF-1.7 a scanned form");
        var pdf = ImageFile.Check(path);
        Assert.Equal(ImageFileState.NotImage, pdf.State);
        Assert.Contains("PDF", pdf.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("B2-0137", ScanKind.ShootNumber)]
    [InlineData("b2-0137", ScanKind.ShootNumber)]
    [InlineData("2021301234", ScanKind.StudentNumber)]
    [InlineData("C1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ScanKind.CaptureCode)]
    public void A_scanned_line_is_told_apart(string line, ScanKind kind) => Assert.Equal(kind, ScanInput.Classify(line).Kind);

    [Fact]
    public void A_failed_verdict_names_each_failed_measure_in_both_languages_and_what_to_fix()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""
            {"id":"0190a0f0-0000-7000-8000-000000000001","shootNumber":"B2-0001","shotIndex":2,"status":"bound","verdict":"failed",
             "failedMeasures":["sharpness"],"quality":{"measures":[
               {"name":"sharpness","value":0.1,"threshold":">= 0.3","passed":false,"reasonZh":"照片模糊","reasonEn":"The photo is blurred"},
               {"name":"exposure","value":0.5,"threshold":"0.3-0.7","passed":true,"reasonZh":"","reasonEn":""}]}}
            """);
        var photo = FeedPhoto.Parse(doc.RootElement);
        var failed = Assert.Single(photo.Measures, m => !m.Passed);
        Assert.Equal(("sharpness", "照片模糊", "The photo is blurred"), (failed.Name, failed.ReasonZh, failed.ReasonEn));
        Assert.Contains("focus", VerdictAdvice.ForMeasure(failed.Name), StringComparison.Ordinal);

        var screen = string.Join("\n", AgentScreen.VerdictLines(photo));
        Assert.Contains("FAIL 不合格", screen, StringComparison.Ordinal);
        Assert.Contains("照片模糊 / The photo is blurred", screen, StringComparison.Ordinal);
        Assert.Contains(VerdictAdvice.ForMeasure("sharpness"), screen, StringComparison.Ordinal);
        Assert.DoesNotContain("exposure", screen, StringComparison.Ordinal);
        Spectre.Console.AnsiConsoleExtensions.MarkupLine(
            Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) }), screen); // valid markup
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
