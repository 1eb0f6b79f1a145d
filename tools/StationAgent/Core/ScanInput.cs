using System.Text.RegularExpressions;

namespace Capture.StationAgent.Core;

public enum ScanKind
{
    CaptureCode,
    StudentNumber,
    ShootNumber,
}

/// <summary>
/// What the scanner (or the operator) typed: a capture code (采集码, "C1" + base64url), a student card's number (digits,
/// letters allowed), or a shoot number (拍摄号, station code + "-" + four digits) typed by hand.
/// </summary>
public static partial class ScanInput
{
    public static (ScanKind Kind, string Value) Classify(string text)
    {
        var value = text.Trim();
        if (ShootNumberPattern().IsMatch(value))
        {
            return (ScanKind.ShootNumber, value.ToUpperInvariant());
        }

        return value.StartsWith("C1", StringComparison.Ordinal) && value.Length >= 20
            ? (ScanKind.CaptureCode, value)
            : (ScanKind.StudentNumber, value);
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,16}-[0-9]{4}$")]
    private static partial Regex ShootNumberPattern();
}
