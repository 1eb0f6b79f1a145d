namespace Capture.Verification.Infrastructure;

/// <summary>Settings under <c>Verification</c>.</summary>
public sealed class VerificationOptions
{
    /// <summary>Window when the campaign's RegistrationApproved did not carry one (days after the photo is accepted).</summary>
    public int DefaultWindowDays { get; set; } = 40;

    /// <summary>Days before the deadline at which <c>VerificationReminderDue</c> is published.</summary>
    public int[] ReminderDaysBefore { get; set; } = [7, 1];

    /// <summary>How often the clock looks for reminders due and windows closed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a presigned photo or export URL lives.</summary>
    public TimeSpan PresignedUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Smallest and largest standardised photo CHSI accepts (bytes).</summary>
    public long PhotoMinBytes { get; set; } = 20 * 1024;

    public long PhotoMaxBytes { get; set; } = 40 * 1024;

    /// <summary>How long a requested export waits before it is built: requests for the same set in that time get the same batch.</summary>
    public TimeSpan ExportDebounce { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often each instance looks for export batches still queued or building that no instance is building (one a
    /// crashed instance left), and builds them.
    /// </summary>
    public TimeSpan ExportSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a batch is built before a passing fault (the object store or the database out of reach) fails it:
    /// each sweep tries again, so 5 attempts ride out an outage of about 4 sweep intervals.
    /// </summary>
    public int ExportMaxAttempts { get; set; } = 5;

    /// <summary>Where export zips are written before upload (default: the system's temp directory).</summary>
    public string? ExportTempDirectory { get; set; }
}
