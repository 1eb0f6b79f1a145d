namespace Capture.Payment.Domain;

/// <summary>One line of finance's campus-card refund result file (校园卡退款结果): which refund, credited back or not and why.</summary>
public sealed record CardRefundResultLine(int Line, Guid RefundId, Guid? OrderId, string StudentNumber, long AmountFen, bool Refunded, string? Reason);

/// <summary>The words finance writes in the refund result column.</summary>
public static class CardRefundResults
{
    private static readonly string[] Refunded = ["成功", "退款成功", "已退款", "已退回", "refunded", "success", "ok"];
    private static readonly string[] Failed = ["失败", "退款失败", "未退款", "failed", "fail"];

    public static bool? Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (Refunded.Contains(t, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return Failed.Contains(t, StringComparer.OrdinalIgnoreCase) ? false : null;
    }
}
