using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;

namespace Capture.Verification.Tests;

/// <summary>Rules without I/O: the window, reminder points, the photo spec, file names.</summary>
public sealed class RuleTests
{
    [Fact]
    public void The_deadline_is_the_end_of_the_Beijing_day_window_days_after_acceptance()
    {
        // 6 June 23:30 Beijing time = 15:30 UTC; 40 days → verifiable until 16 July 24:00 Beijing time.
        var accepted = new DateTimeOffset(2026, 6, 6, 15, 30, 0, TimeSpan.Zero);
        var deadline = VerificationWindow.Deadline(accepted, 40);
        Assert.Equal(new DateTimeOffset(2026, 7, 17, 0, 0, 0, ShanghaiTime.Offset), deadline);
    }

    [Fact]
    public void The_nearest_reminder_is_due_once_and_none_after_the_deadline()
    {
        var deadline = new DateTimeOffset(2026, 7, 17, 0, 0, 0, TimeSpan.Zero);
        int[] points = [7, 1];
        Assert.Null(VerificationWindow.DueReminder(deadline, deadline.AddDays(-8), points, []));
        Assert.Equal(7, VerificationWindow.DueReminder(deadline, deadline.AddDays(-6), points, []));
        Assert.Null(VerificationWindow.DueReminder(deadline, deadline.AddDays(-6), points, [7]));
        Assert.Equal(1, VerificationWindow.DueReminder(deadline, deadline.AddHours(-1), points, [7]));
        Assert.Equal(1, VerificationWindow.DueReminder(deadline, deadline.AddHours(-1), points, []));
        Assert.Null(VerificationWindow.DueReminder(deadline, deadline.AddHours(-1), points, [1]));
        Assert.Null(VerificationWindow.DueReminder(deadline, deadline, points, []));
    }

    [Fact]
    public void The_photo_spec_checks_size_markers_and_dimensions()
    {
        var good = TestPhotos.Standard();
        Assert.Null(PhotoSpec.Check(good, 20 * 1024, 40 * 1024));
        Assert.Contains("KB", PhotoSpec.Check(good, 20 * 1024, good.Length - 1));
        Assert.Contains("300×400", PhotoSpec.Check(TestPhotos.Make(300, 400, 1, 1_000_000), 1, 1_000_000));
        Assert.Equal("not a JPEG", PhotoSpec.Check(new byte[30 * 1024], 20 * 1024, 40 * 1024));
        Assert.Contains("end marker", PhotoSpec.Check(good.AsSpan(0, good.Length - 1), 1, 40 * 1024));
    }

    [Fact]
    public void File_names_are_the_id_number_or_student_number_and_refuse_anything_unsafe()
    {
        Assert.Equal("11010519491231002X.jpg", ExportNaming.FileName(ExportNaming.IdNumber, "11010519491231002x", "220220001"));
        Assert.Equal("220220001.jpg", ExportNaming.FileName(ExportNaming.StudentNumber, "11010519491231002X", "220220001"));
        Assert.Null(ExportNaming.FileName(ExportNaming.IdNumber, "../../etc/passwd", "1"));
        Assert.Null(ExportNaming.FileName(ExportNaming.IdNumber, null, "1"));
    }
}
