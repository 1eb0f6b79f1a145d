namespace Capture.Payment.Domain;

/// <summary>Where a payment order stands: <c>pending → paid → refunded</c>, or <c>waived</c>, or <c>cancelled</c>. Stored as its name.</summary>
public enum OrderStatus
{
    Pending,
    Paid,
    Waived,
    Cancelled,
    Refunded,
}
