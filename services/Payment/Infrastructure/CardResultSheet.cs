using Capture.Payment.Domain;
using Capture.ServiceDefaults.Spreadsheets;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// What a campus-card result file finance returns looks like: the column aliases (its own id column(s) beside 学号,
/// 金额(元), 结果 and 原因), the columns it must have, the words of its result column and what they mean.
/// </summary>
internal sealed record CardResultFormat(
    IReadOnlyDictionary<string, string> Aliases,
    string[] Required,
    string RequiredNames,
    Func<string?, bool?> ParseResult,
    string ResultWords);

/// <summary>One result row with the columns every card result file shares checked; the file's own id column(s) are read through <see cref="Cell"/>.</summary>
internal sealed record CardResultRow(int Line, Func<string, string?> Cell, string StudentNumber, long AmountFen, bool Succeeded, string? Reason);

/// <summary>
/// Reads a campus-card result file (deductions, refunds), CSV in UTF-8 or GBK or .xlsx, through the shared streaming
/// <see cref="SpreadsheetReader"/>: every problem of every line is listed with its line number (the caller applies
/// nothing when there is one), a key given twice is a problem, and a file without result lines is one.
/// </summary>
internal static class CardResultSheet
{
    public const int MaxStudentNumber = 32;
    public const int MaxReason = 200;

    /// <summary>
    /// The lines <paramref name="line"/> makes of the rows whose shared columns are valid (it adds its own problems and
    /// returns null for a row it cannot use), or the errors; <paramref name="key"/> names the id that must not repeat.
    /// </summary>
    public static (List<T> Lines, List<string> Errors) Read<T>(
        byte[] content, CardResultFormat format, Func<CardResultRow, List<string>, T?> line, Func<T, (int Line, string Key)> key)
        where T : class
    {
        var (sheet, error) = SpreadsheetReader.Read(content);
        if (sheet is null)
        {
            return ([], [error!]);
        }

        var columns = sheet.Headers.Select((h, i) => (Key: format.Aliases.GetValueOrDefault(h.Trim()), i))
            .Where(x => x.Key is not null).GroupBy(x => x.Key!).ToDictionary(g => g.Key, g => g.First().i);
        var missing = format.Required.Where(k => !columns.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            return ([], [$"The header row needs the columns {format.RequiredNames} (missing: {string.Join(", ", missing)})."]);
        }

        var lines = new List<T>();
        var errors = new List<string>();
        foreach (var (number, cells) in sheet.Rows)
        {
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            string? Cell(string name) => columns.TryGetValue(name, out var i) && i < cells.Length ? cells[i]?.Trim() : null;
            var problems = new List<string>();
            var student = Cell("student") ?? "";
            if (student.Length is 0 or > MaxStudentNumber)
            {
                problems.Add($"学号 is empty or longer than {MaxStudentNumber} characters");
            }

            if (!Money.TryParseYuan(Cell("amount"), out var fen))
            {
                problems.Add("金额(元) is not an amount in yuan with at most two decimals");
            }

            var result = format.ParseResult(Cell("result"));
            if (result is null)
            {
                problems.Add($"结果 must be {format.ResultWords}");
            }

            var reason = Cell("reason");
            if (reason is { Length: > MaxReason })
            {
                problems.Add($"原因 is longer than {MaxReason} characters");
            }

            var own = new List<string>();
            var made = line(new CardResultRow(number, Cell, student, fen, result ?? false, string.IsNullOrWhiteSpace(reason) ? null : reason), own);
            problems.InsertRange(0, own);
            if (problems.Count > 0 || made is null)
            {
                errors.Add($"line {number}: {string.Join("; ", problems)}");
                continue;
            }

            lines.Add(made);
        }

        foreach (var dup in lines.Select(key).GroupBy(k => k.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"lines {string.Join(", ", dup.Select(k => k.Line))}: {dup.Key} appears more than once");
        }

        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add("The file has no result lines.");
        }

        return (lines, errors);
    }
}
