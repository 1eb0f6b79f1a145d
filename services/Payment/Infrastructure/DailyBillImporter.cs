using Capture.Payment.Domain;
using Capture.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// Downloads and imports each day's trade bill once it is available (WeChat Pay: the next day after 10:00 Beijing time;
/// <see cref="PaymentOptions.BillImportAt"/>, 10:30 by default), so finance finds the day reconciled without ops
/// importing it. It looks back <see cref="PaymentOptions.BillImportDays"/> days (a service down over a weekend catches
/// up), skips a day already imported (by ops, with a file, or by an earlier run), and retries a day the provider did
/// not give at the next look (every <see cref="PaymentOptions.BillImportInterval"/>). Several instances take turns: a
/// day is imported under a transaction-scoped advisory lock, and checked again under it.
/// </summary>
public sealed partial class DailyBillImporter(
    IServiceScopeFactory scopes, IOptions<PaymentOptions> options, TimeProvider time, ILogger<DailyBillImporter> logger) : BackgroundService
{
    private const long LockKey = 0x5041_5942_494C_4C53; // "PAYBILLS"

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.BillImportDays <= 0
            ? Task.CompletedTask
            : Periodic.RunAsync("The daily trade bill import", RunOnceAsync, Periodic.Every(() => options.Value.BillImportInterval, time), logger, stoppingToken);

    /// <summary>The bill days that are due and not imported yet, oldest first (rules only).</summary>
    public static IEnumerable<DateOnly> DueDays(DateTimeOffset now, TimeOnly availableAt, int lookBack)
    {
        var local = ShanghaiTime.ToLocal(now);
        var today = DateOnly.FromDateTime(local.DateTime);
        // Yesterday's bill is due from availableAt today; older days are due already.
        var newest = TimeOnly.FromDateTime(local.DateTime) >= availableAt ? today.AddDays(-1) : today.AddDays(-2);
        for (var i = lookBack - 1; i >= 0; i--)
        {
            yield return newest.AddDays(-i);
        }
    }

    /// <summary>Imports every due day not imported yet; returns the days imported.</summary>
    public async Task<List<DateOnly>> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var days = DueDays(time.GetUtcNow(), o.BillImportAt, o.BillImportDays).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        var done = await db.StatementImports.AsNoTracking().Where(i => days.Contains(i.BillDate)).Select(i => i.BillDate).ToListAsync(ct);
        var imported = new List<DateOnly>();
        foreach (var day in days.Except(done))
        {
            if (await ImportDayAsync(scope.ServiceProvider, db, day, ct))
            {
                imported.Add(day);
            }
        }

        return imported;
    }

    private async Task<bool> ImportDayAsync(IServiceProvider services, PaymentDbContext db, DateOnly day, CancellationToken ct)
    {
        string text;
        try
        {
            text = await services.GetRequiredService<IPaymentProvider>().DownloadTradeBillAsync(day, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            LogUnavailable(logger, day, e.Message);
            return false;
        }

        // One instance at a time, and never over an import made meanwhile (ops, or another instance).
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
        if (await db.StatementImports.AnyAsync(i => i.BillDate == day, ct))
        {
            return false;
        }

        var (report, errors) = await StatementImports.ImportAsync(db, day, text, StatementImport.FromProvider, StatementImport.BySchedule, time.GetUtcNow(), ct);
        await transaction.CommitAsync(ct);
        if (report is null)
        {
            LogUnreadable(logger, day, errors.Count, errors.FirstOrDefault() ?? "");
            return false;
        }

        if (report.Mismatches.Count > 0)
        {
            LogMismatches(logger, day, report.BillLines, report.Mismatches.Count);
        }
        else
        {
            LogImported(logger, day, report.BillLines);
        }

        return true;
    }

    [LoggerMessage(LogLevel.Information, "Trade bill of {Day:yyyy-MM-dd} imported on schedule: {Lines} lines, no mismatch")]
    private static partial void LogImported(ILogger logger, DateOnly day, int lines);

    [LoggerMessage(LogLevel.Warning, "Trade bill of {Day:yyyy-MM-dd} imported on schedule: {Lines} lines, {Mismatches} mismatches for finance (GET /api/payment/reconciliation/statements/{Day:yyyy-MM-dd}/mismatches)")]
    private static partial void LogMismatches(ILogger logger, DateOnly day, int lines, int mismatches);

    [LoggerMessage(LogLevel.Warning, "Trade bill of {Day:yyyy-MM-dd} not available from the provider yet ({Reason}); asked again at the next look")]
    private static partial void LogUnavailable(ILogger logger, DateOnly day, string reason);

    [LoggerMessage(LogLevel.Error, "Trade bill of {Day:yyyy-MM-dd} could not be read ({Count} lines, first: {First}); nothing imported, asked again at the next look")]
    private static partial void LogUnreadable(ILogger logger, DateOnly day, int count, string first);
}
