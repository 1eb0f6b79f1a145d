using Capture.Payment.Domain;
using Capture.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

/// <summary>What a day's trade bill and this service's records disagree on (<see cref="Reconciliation.Compare"/>).</summary>
public sealed record StatementReport(DateOnly BillDate, int BillLines, int PaidOnlineHere, List<Mismatch> Mismatches);

/// <summary>
/// Importing a day's trade bill (对账单), by ops (`POST /reconciliation/statements/{day}`) or on the daily schedule
/// (<see cref="DailyBillImporter"/>): all lines or none, replacing an earlier import of that day, recorded as a
/// <see cref="StatementImport"/> in the same transaction, and the day reconciled.
/// </summary>
public static class StatementImports
{
    /// <summary>The day's reconciliation, or null and the lines that could not be read (nothing imported).</summary>
    public static async Task<(StatementReport? Report, List<string> Errors)> ImportAsync(
        PaymentDbContext db, DateOnly day, string text, string source, string by, DateTimeOffset now, CancellationToken ct)
    {
        var (lines, errors) = TradeBill.Parse(text, day, now);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // The caller's transaction when there is one (the scheduled import holds its lock in it), else one of our own.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.StatementLines.Where(l => l.BillDate == day).ExecuteDeleteAsync(ct);
        db.StatementLines.AddRange(lines);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var report = await ReportAsync(db, day, ct);
        by = by.Length > 128 ? by[..128] : by;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO payment.statement_imports (bill_date, imported_at, source, imported_by, lines, mismatches)
            VALUES ({day}, {now.ToUniversalTime()}, {source}, {by}, {lines.Count}, {report.Mismatches.Count})
            ON CONFLICT (bill_date) DO UPDATE SET imported_at = excluded.imported_at, source = excluded.source,
                imported_by = excluded.imported_by, lines = excluded.lines, mismatches = excluded.mismatches
            """,
            ct);
        if (own is not null)
        {
            await own.CommitAsync(ct);
        }

        return (report, []);
    }

    public static async Task<StatementReport> ReportAsync(PaymentDbContext db, DateOnly day, CancellationToken ct)
    {
        var start = ShanghaiTime.ToUtc(day, TimeOnly.MinValue);
        var end = ShanghaiTime.ToUtc(day.AddDays(1), TimeOnly.MinValue);
        var bill = await db.StatementLines.AsNoTracking().Where(l => l.BillDate == day).ToListAsync(ct);
        var paid = await db.Orders.AsNoTracking()
            .Where(o => o.Method == PaymentMethods.Online && o.PaidAt >= start && o.PaidAt < end && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.Refunded))
            .ToListAsync(ct);
        var named = bill.Select(l => l.OutTradeNo).Distinct().ToList();
        var referenced = (await db.Orders.AsNoTracking().Where(o => named.Contains(o.OutTradeNo)).ToListAsync(ct)).Concat(paid)
            .DistinctBy(o => o.Id).ToDictionary(o => o.OutTradeNo);
        // A number an order gave up (re-priced, switched) is matched to that order: its payment was the order's, or a second one refunded.
        var superseded = await (from n in db.SupersededTradeNumbers.AsNoTracking()
                                join o in db.Orders.AsNoTracking() on n.OrderId equals o.Id
                                where named.Contains(n.OutTradeNo)
                                select new { n, o }).ToListAsync(ct);
        var refunded = await (from r in db.Refunds.AsNoTracking()
                              join o in db.Orders.AsNoTracking() on r.OrderId equals o.Id
                              where r.Method == PaymentMethods.Online && r.Status == RefundStatus.Succeeded && r.CompletedAt >= start && r.CompletedAt < end
                              select new { OutTradeNo = r.SupersededOutTradeNo ?? o.OutTradeNo, r.AmountFen }).ToListAsync(ct);
        var mismatches = Reconciliation.Compare(
            paid, referenced, refunded.GroupBy(r => r.OutTradeNo).ToDictionary(g => g.Key, g => g.Sum(r => r.AmountFen)), bill,
            superseded.ToDictionary(x => x.n.OutTradeNo, x => (x.n, x.o)));
        return new StatementReport(day, bill.Count, paid.Count, mismatches);
    }
}
