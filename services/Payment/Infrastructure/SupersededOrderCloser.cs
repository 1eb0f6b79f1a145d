using Capture.Payment.Domain;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// Closes the provider orders under merchant order numbers the orders gave up (<see cref="SupersededTradeNumber"/>), so
/// a QR code shown before a fee change cannot be paid at the old amount any more. When the provider refuses because it
/// was paid (WeChat Pay: ORDERPAID, then the order query), that payment is taken (<see cref="SupersededPayments"/>): the
/// order's, or a second payment refunded automatically. Provider errors are retried with back-off; once the provider
/// order's lifetime is over, a final query saying unpaid ends the retries. Every <see cref="PaymentOptions.SupersededInterval"/>,
/// at most <see cref="BatchSize"/> numbers a run; several instances share the work: each number is claimed by a conditional
/// UPDATE that moves its next attempt a lease ahead (a crashed instance's claim runs out).
/// </summary>
public sealed partial class SupersededOrderCloser(
    IServiceScopeFactory scopes, IOptions<PaymentOptions> options, IOptions<WeChatPayOptions> wechat, RefundSignal refunds, TimeProvider time,
    ILogger<SupersededOrderCloser> logger) : BackgroundService
{
    public const int BatchSize = 50;

    /// <summary>Longer than a close and a query with the HTTP client's retries (10 s each at most).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync("Closing superseded provider orders", RunOnceAsync, Periodic.Every(() => options.Value.SupersededInterval, time), logger, stoppingToken);

    /// <summary>One run over the numbers due; returns how many were settled (closed, given up, or their payment taken).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        var provider = scope.ServiceProvider.GetRequiredService<IPaymentProvider>();
        var now = time.GetUtcNow();
        var due = await db.SupersededTradeNumbers.AsNoTracking()
            .Where(s => s.State == SupersededState.Open && s.NextAttemptAt <= now)
            .OrderBy(s => s.NextAttemptAt)
            .Take(BatchSize)
            .ToListAsync(ct);
        var settled = 0;
        foreach (var number in due)
        {
            var claimed = await db.SupersededTradeNumbers
                .Where(s => s.OutTradeNo == number.OutTradeNo && s.State == SupersededState.Open && s.NextAttemptAt <= now)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.NextAttemptAt, now + ClaimLease).SetProperty(s => s.Attempts, s => s.Attempts + 1), ct);
            if (claimed == 0)
            {
                continue; // another instance has it, or a notify took its payment meanwhile
            }

            number.Attempts++;
            if (await SettleAsync(db, provider, number, ct))
            {
                settled++;
            }
        }

        return settled;
    }

    private async Task<bool> SettleAsync(PaymentDbContext db, IPaymentProvider provider, SupersededTradeNumber number, CancellationToken ct)
    {
        string error;
        try
        {
            var closed = await provider.CloseAsync(number.OutTradeNo, ct);
            if (closed.PaidTransaction is { } paid)
            {
                return await TakeAsync(db, number, paid, ct);
            }

            await EndAsync(db, number, SupersededState.Closed, null, ct);
            LogClosed(logger, number.OutTradeNo, number.OrderId);
            return true;
        }
        catch (Exception e) when (IsProviderError(e))
        {
            error = e.Message;
        }

        var now = time.GetUtcNow();
        if (SupersededRules.MayGiveUp(number, now))
        {
            try
            {
                var t = await provider.QueryAsync(number.OutTradeNo, ct);
                if (t is { Paid: true })
                {
                    return await TakeAsync(db, number, t, ct);
                }

                if (SupersededRules.IsUnpaidForGood(t?.State))
                {
                    await EndAsync(db, number, SupersededState.Expired, $"not closed ({error}); past its lifetime the provider says {t?.State ?? "it does not know it"}", ct);
                    LogExpired(logger, number.OutTradeNo, number.OrderId, error);
                    return true;
                }
            }
            catch (Exception e) when (IsProviderError(e))
            {
                error = e.Message;
            }
        }

        await BackOffAsync(db, number, error, ct);
        return false;
    }

    private async Task<bool> TakeAsync(PaymentDbContext db, SupersededTradeNumber number, ProviderTransaction t, CancellationToken ct)
    {
        if (SupersededRules.Mismatch(number, t.AmountFen ?? -1, t.Currency ?? "") is { } mismatch)
        {
            // Cannot happen with an honest provider: left for a person, asked again at the longest back-off.
            LogMismatch(logger, number.OutTradeNo, number.OrderId, mismatch);
            await BackOffAsync(db, number, "the provider reports a payment with another " + mismatch, ct);
            return false;
        }

        var (outcome, _) = await SupersededPayments.TakeAsync(db, number, t, new Renumbering(time.GetUtcNow(), wechat.Value.OrderLifetime), logger, ct);
        if (outcome == SupersededOutcome.SecondPayment)
        {
            refunds.Wake();
        }

        return true;
    }

    private Task<int> EndAsync(PaymentDbContext db, SupersededTradeNumber number, SupersededState state, string? note, CancellationToken ct) =>
        db.SupersededTradeNumbers.Where(s => s.OutTradeNo == number.OutTradeNo && s.State == SupersededState.Open)
            .ExecuteUpdateAsync(
                set => set.SetProperty(s => s.State, state).SetProperty(s => s.SettledAt, time.GetUtcNow()).SetProperty(s => s.LastError, Truncate(note)),
                ct);

    private Task<int> BackOffAsync(PaymentDbContext db, SupersededTradeNumber number, string error, CancellationToken ct) =>
        db.SupersededTradeNumbers.Where(s => s.OutTradeNo == number.OutTradeNo && s.State == SupersededState.Open)
            .ExecuteUpdateAsync(
                set => set.SetProperty(s => s.NextAttemptAt, SupersededRules.NextAttempt(number.Attempts, time.GetUtcNow())).SetProperty(s => s.LastError, Truncate(error)),
                ct);

    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] : text;

    private static bool IsProviderError(Exception e) =>
        e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException;

    [LoggerMessage(LogLevel.Information, "Closed the provider order under superseded number {OutTradeNo} of order {OrderId}")]
    private static partial void LogClosed(ILogger logger, string outTradeNo, Guid orderId);

    [LoggerMessage(LogLevel.Warning, "Gave up closing superseded number {OutTradeNo} of order {OrderId} past its lifetime (unpaid at the provider): {Error}")]
    private static partial void LogExpired(ILogger logger, string outTradeNo, Guid orderId, string error);

    [LoggerMessage(LogLevel.Error, "The provider reports a payment under superseded number {OutTradeNo} of order {OrderId} that is not its: {Mismatch}; a person must look")]
    private static partial void LogMismatch(ILogger logger, string outTradeNo, Guid orderId, string mismatch);
}
