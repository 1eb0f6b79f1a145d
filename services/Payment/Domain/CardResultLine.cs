namespace Capture.Payment.Domain;

/// <summary>One line of finance's campus-card result file (校园卡扣款结果): which order, deducted or not and why.</summary>
public sealed record CardResultLine(int Line, Guid OrderId, string StudentNumber, long AmountFen, bool Deducted, string? Reason);

/// <summary>The words finance writes in the result column.</summary>
public static class CardResults
{
    private static readonly string[] Deducted = ["成功", "扣款成功", "已扣款", "deducted", "success", "ok"];
    private static readonly string[] Failed = ["失败", "扣款失败", "未扣款", "failed", "fail"];

    public static bool? Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (Deducted.Contains(t, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return Failed.Contains(t, StringComparer.OrdinalIgnoreCase) ? false : null;
    }
}
