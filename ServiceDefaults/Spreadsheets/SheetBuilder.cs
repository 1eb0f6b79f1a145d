using System.Globalization;

namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>
/// Collects a workbook's rows as they are read, the same way for every reader: empty rows are skipped, the first
/// non-empty row is the header (ending at its last name: Excel often formats whole rows out to column XFD), data rows
/// keep the header's width, and the limits are checked as each row arrives.
/// </summary>
internal sealed class SheetBuilder(SheetLimits limits)
{
    /// <summary>Excel keeps 15 significant digits; a whole number from 10^15 up has lost digits.</summary>
    private const double FirstLossyNumber = 1e15;

    private readonly List<(int, string?[])> rows = [];
    private readonly HashSet<(int, int)> numbers = [];
    private List<string>? headers;
    private long cells;

    /// <summary>The header's width once it is known: later rows need no cells beyond it.</summary>
    public int? Width => headers?.Count;

    /// <summary>A whole number keeps all its digits (a 学号 typed as a number); from 10^15 up it is flagged as having lost some.</summary>
    public static (string Text, bool LostDigits) NumberText(double value)
    {
        var whole = value == Math.Floor(value);
        if (whole && Math.Abs(value) < FirstLossyNumber)
        {
            return (((long)value).ToString(CultureInfo.InvariantCulture), false);
        }

        return (value.ToString("R", CultureInfo.InvariantCulture), whole);
    }

    public void Add(int line, string?[] values, IReadOnlyCollection<int> lossy)
    {
        var filled = values.Count(v => !string.IsNullOrWhiteSpace(v));
        if (filled == 0)
        {
            return;
        }

        if (headers is null)
        {
            var used = Array.FindLastIndex(values, c => !string.IsNullOrWhiteSpace(c)) + 1;
            if (used > limits.MaxColumns)
            {
                throw new SheetRefusedException($"The header row has {used} columns; a {limits.Document} has at most {limits.MaxColumns}: delete the columns that are not part of the {limits.Document}.");
            }

            headers = [.. values.Take(used).Select(c => c ?? "")];
            return;
        }

        if (rows.Count == limits.MaxRows)
        {
            throw new SheetRefusedException($"The sheet has more than {limits.MaxRows} {limits.RowNoun}; at most {limits.MaxRows} are accepted at once: split it.");
        }

        cells += filled;
        if (cells > limits.MaxCells)
        {
            throw new SheetRefusedException($"The sheet has more than {limits.MaxCells} filled cells, far more than a {limits.Document} needs: delete the columns and rows that are not part of the {limits.Document}.");
        }

        var row = values.Length == headers.Count ? values : values.AsSpan(0, Math.Min(values.Length, headers.Count)).ToArray();
        if (row.Length < headers.Count)
        {
            Array.Resize(ref row, headers.Count);
        }

        rows.Add((line, row));
        foreach (var c in lossy)
        {
            if (c < headers.Count)
            {
                numbers.Add((line, c));
            }
        }
    }

    public Sheet Build() => new(headers ?? [], rows, numbers);
}
