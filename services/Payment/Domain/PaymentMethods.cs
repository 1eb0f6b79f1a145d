namespace Capture.Payment.Domain;

/// <summary>How a fee was paid; the value travels in <c>PaymentSucceeded.Method</c>.</summary>
public static class PaymentMethods
{
    /// <summary>WeChat Pay (API v3), Native order paid by scanning a QR code.</summary>
    public const string Online = "online";

    /// <summary>Collected in cash by the college secretary and remitted (000, 002, 004).</summary>
    public const string Cash = "cash";

    /// <summary>Deducted from the campus card by finance in a batch (003).</summary>
    public const string CampusCard = "campus-card";

    /// <summary>A school admin waived the fee (announced as a payment of 0 fen, so check-in admits the student).</summary>
    public const string Waiver = "waiver";
}
