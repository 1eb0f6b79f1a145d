using System.Text;

namespace Capture.Verification.Infrastructure;

/// <summary>RFC 4180 CSV lines: a field with a comma, quote or line break is quoted; a leading = + - @ is defused (spreadsheet formulas).</summary>
public static class Csv
{
    public static string Line(params string?[] fields)
    {
        var line = new StringBuilder();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            var value = fields[i] ?? "";
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            {
                value = "'" + value;
            }

            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                line.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
            }
            else
            {
                line.Append(value);
            }
        }

        return line.Append("\r\n").ToString();
    }
}
