using System.Globalization;

namespace Capture.Payment.Domain;

/// <summary>Yuan as people and finance files write them (30, 30.0, 30.00) ↔ integer fen. Never a float.</summary>
public static class Money
{
    public static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Parses a yuan amount with at most two decimals (a leading ¥ allowed); false for anything else, including a third decimal.</summary>
    public static bool TryParseYuan(string? text, out long fen)
    {
        fen = 0;
        var t = text?.Trim().TrimStart('¥', '￥').Trim();
        if (string.IsNullOrEmpty(t) || t.Length > 16
            || !decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
        {
            return false;
        }

        var scaled = yuan * 100;
        if (scaled != decimal.Truncate(scaled) || scaled > 100_000_000)
        {
            return false;
        }

        fen = (long)scaled;
        return true;
    }
}
