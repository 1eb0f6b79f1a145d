namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>
/// A sheet's header row and data rows, each with the line number a person sees in Excel or a text editor, and the
/// cells that Excel held as numbers too long to keep (more than 15 digits: an 18-digit ID number typed as a number).
/// </summary>
public sealed record Sheet(IReadOnlyList<string> Headers, IReadOnlyList<(int Line, string?[] Cells)> Rows, IReadOnlySet<(int Line, int Column)> StoredAsNumbers)
{
    public Sheet(IReadOnlyList<string> headers, IReadOnlyList<(int Line, string?[] Cells)> rows)
        : this(headers, rows, new HashSet<(int, int)>())
    {
    }
}
