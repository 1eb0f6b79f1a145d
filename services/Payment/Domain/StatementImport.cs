namespace Capture.Payment.Domain;

/// <summary>
/// A day's trade bill imported (by ops, or by <c>DailyBillImporter</c> on its schedule): when, from where, how many lines,
/// and how many mismatches reconciliation found then. One row per bill day, replaced by a later import of that day.
/// </summary>
public sealed class StatementImport
{
    public const string FromProvider = "provider";
    public const string FromUpload = "upload";
    public const string BySchedule = "schedule";

    public DateOnly BillDate { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    /// <summary><see cref="FromProvider"/> (downloaded) or <see cref="FromUpload"/> (a file ops sent).</summary>
    public string Source { get; set; } = FromProvider;

    /// <summary>Who: <see cref="BySchedule"/> or the person's subject.</summary>
    public string ImportedBy { get; set; } = BySchedule;

    public int Lines { get; set; }

    public int Mismatches { get; set; }
}
