using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

public static class RefundRequests
{
    /// <summary>A merchant refund number (商户退款单号, at most 64 characters) the provider treats as idempotent.</summary>
    public static string NewOutRefundNo() => "RF" + Guid.NewGuid().ToString("N")[..30];

    /// <summary>Records the one refund of a paid order; null when the order already has one (the unique key decides races).</summary>
    public static async Task<Refund?> TryRequestAsync(PaymentDbContext db, PaymentOrder order, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var refund = new Refund
        {
            Id = Guid.NewGuid(),
            OrderId = order.Id,
            AmountFen = order.AmountFen,
            Method = order.Method ?? PaymentMethods.Online,
            Reason = reason,
            Status = RefundStatus.Requested,
            OutRefundNo = NewOutRefundNo(),
            RequestedAt = now,
        };
        db.Refunds.Add(refund);
        try
        {
            await db.SaveChangesAsync(ct);
            return refund;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
