namespace Capture.Payment.Domain;

/// <summary>Who is refunded automatically (003 §2.3): rules only, no I/O.</summary>
public static class RefundRules
{
    public const string WithdrawnReason = "registration withdrawn after payment";
    public const string AbsentReason = "absent, no makeup booked by the refund date";

    /// <summary>
    /// The reason a paid order is due a refund now, or null. A photographed student is never refunded automatically;
    /// an absentee is refunded once the campaign's refund date has come without a makeup booking.
    /// </summary>
    public static string? Due(PaymentOrder order, Attendance? attendance, DateTimeOffset? refundFrom, DateTimeOffset now)
    {
        if (order.Status != OrderStatus.Paid || attendance?.PhotographedAt is not null)
        {
            return null;
        }

        if (order.WithdrawnAt is not null)
        {
            return WithdrawnReason;
        }

        if (attendance?.AbsentAt is null || attendance.MakeupBookedAt is not null || refundFrom is null)
        {
            return null;
        }

        return now >= refundFrom ? AbsentReason : null;
    }

    /// <summary>What the school admin reads when the provider ends a refund without paying it back.</summary>
    public static string ProviderFailure(string status) => status switch
    {
        "ABNORMAL" => "WeChat Pay reports the refund abnormal (退款异常): the student's card or account could not take it. "
            + "Settle it on the merchant platform (退款异常处理) or hand the money back another way; it is not sent again.",
        "CLOSED" => "WeChat Pay closed the refund (退款关闭): no money went back. Hand it back another way or ask WeChat Pay; it is not sent again.",
        _ => $"WeChat Pay answered {status} to the refund; it is not sent again. Check it on the merchant platform.",
    };
}
