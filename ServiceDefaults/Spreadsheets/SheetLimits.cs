namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>
/// How much of a sheet is read before it is refused with a message (never by running out of memory), and the words
/// the messages use: <c>Document</c> is what the file is ("roster"), <c>RowNoun</c> what its rows are ("students").
/// </summary>
public sealed record SheetLimits(
    int MaxRows = 100_000,
    int MaxColumns = 256,
    int MaxCells = 2_000_000,
    long MaxUnpackedBytes = 64L * 1024 * 1024,
    int MaxZipEntries = 1000,
    int MaxRecordChars = 64 * 1024,
    string Document = "file",
    string RowNoun = "rows")
{
    public static SheetLimits Default { get; } = new();
}
