using System.Text;

namespace Capture.ServiceDefaults.Export;

/// <summary>
/// CSV for people who open it in Excel or WPS, one way in every service: RFC 4180 quoting (a field with a comma, quote
/// or line break is quoted, quotes doubled), and a field that a spreadsheet would run as a formula (starting with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return) is defused with a leading <c>'</c>, so a name like
/// <c>=HYPERLINK(…)</c> from a roster shows as text instead of running (CSV injection). Numbers that are numbers are
/// written by the caller as they are, not through <see cref="Field"/>. In .xlsx exports, text goes into string cells,
/// which spreadsheets never evaluate; no prefix is needed there.
/// </summary>
public static class CsvText
{
    public static string Field(string? value)
    {
        value ??= "";
        if (RunsAsFormula(value))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record: the fields through <see cref="Field"/>, comma-separated, ending in CRLF.</summary>
    public static string Line(params string?[] fields)
    {
        var line = new StringBuilder();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Field(fields[i]));
        }

        return line.Append("\r\n").ToString();
    }

    /// <summary>True when a spreadsheet would read the text as a formula (or, after a tab or CR, as one).</summary>
    public static bool RunsAsFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
}
