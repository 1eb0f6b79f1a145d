using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

public static class RefundRequests
{
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
            OutRefundNo = "RF" + Guid.NewGuid().ToString("N")[..30],
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
