using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Apis;

/// <summary>
/// The provider's payment and refund notifies (支付结果通知, 退款结果通知), at one address told apart by event_type:
/// anonymous, because WeChat Pay calls it, and trusted only when its signature verifies against the platform key, its
/// timestamp is fresh, its nonce is new, its resource decrypts under the API v3 key and the decrypted amounts are the
/// order's (or, under a merchant order number the order gave up, that number's; or the refund's). Anything else is a 4xx
/// and changes nothing; the same payment or refund told twice (WeChat Pay retries, or its notify races the refund query)
/// changes it once and publishes one PaymentSucceeded or PaymentRefunded.
/// </summary>
public static partial class NotifyApi
{
    /// <summary>A WeChat Pay notify is about 1 KB; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapNotifyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix + "/notify").WithTags("Provider notify");
        group.MapPost("/wechatpay", NotifyAsync).WithName("WeChatPayNotify")
            .WithSummary("WeChat Pay API v3 payment (TRANSACTION.SUCCESS) and refund (REFUND.SUCCESS/ABNORMAL/CLOSED) notify: 204 when handled (or already handled), a 4xx with code FAIL when refused.")
            .AllowAnonymous();
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> NotifyAsync(HttpRequest request, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "too-large", $"A notify body is at most {MaxBodyBytes} bytes.");
        }

        VerifiedNotify notify;
        try
        {
            notify = await s.Provider.VerifyNotifyAsync(request.Headers, body, ct);
        }
        catch (NotifyRejectedException e)
        {
            LogRefused(s.Logger, e.Reason, e.Message);
            return Refuse(e.StatusCode, e.Reason, e.Message);
        }
        catch (HttpRequestException)
        {
            return Refuse(StatusCodes.Status503ServiceUnavailable, "unavailable", "Payment cannot verify notifies yet (no provider keys); the provider will retry.");
        }

        // A nonce is used once: the same signed notify sent again is a replay.
        s.Db.NotifyNonces.Add(new NotifyNonce { Nonce = notify.Nonce, ReceivedAt = s.Time.GetUtcNow() });
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            LogRefused(s.Logger, "replay", notify.Nonce);
            return Refuse(StatusCodes.Status409Conflict, "replay", "This notify's nonce was used before: a replay is refused.");
        }
        finally
        {
            s.Db.ChangeTracker.Clear();
        }

        if (notify.Refund is { } refund)
        {
            return await RefundNotifiedAsync(notify.EventType, refund, s, ct);
        }

        if (notify.Transaction is not { } t || notify.EventType != "TRANSACTION.SUCCESS" || t.State != ProviderTransaction.Success)
        {
            // Authentic, but not a successful payment: acknowledged, nothing to do (the student may still pay).
            return TypedResults.NoContent();
        }

        // Under the order's current number or one it gave up (re-priced, switched): the amount must be what that number asked.
        var taken = await ProviderPayments.TakeAsync(s.Db, t, new Renumbering(s.Time.GetUtcNow(), s.Wechat.Value.OrderLifetime), s.Logger, ct);
        switch (taken.Outcome)
        {
            case PaymentTaken.UnknownOrder:
                return Refuse(StatusCodes.Status404NotFound, "unknown-order", taken.Detail!);
            case PaymentTaken.Mismatch:
                LogRefused(s.Logger, "mismatch", $"{taken.OrderId}: {taken.Detail}");
                return Refuse(StatusCodes.Status400BadRequest, "mismatch", $"The notify's {taken.Detail}: not accepted as this order's payment.");
            case PaymentTaken.SecondPayment:
                s.Refunds.Wake();
                return TypedResults.NoContent();
            default:
                return TypedResults.NoContent();
        }
    }

    /// <summary>WeChat Pay reads <c>code</c> and <c>message</c> from a refusal; people read the ProblemDetails.</summary>
    private static ProblemHttpResult Refuse(int status, string reason, string detail) =>
        TypedResults.Problem(
            statusCode: status,
            title: "Notify refused",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "FAIL", ["message"] = detail, ["reason"] = reason });

    /// <summary>
    /// A refund's end at the provider: SUCCESS completes the refund (the order refunded, one PaymentRefunded) unless the
    /// refund query got there first; ABNORMAL and CLOSED mark it failed with the reason the school admin reads.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RefundNotifiedAsync(string eventType, ProviderRefundNotice notice, PaymentServices s, CancellationToken ct)
    {
        var expected = eventType switch
        {
            "REFUND.SUCCESS" => ProviderRefundResult.Success,
            "REFUND.ABNORMAL" => ProviderRefundResult.Abnormal,
            "REFUND.CLOSED" => ProviderRefundResult.Closed,
            _ => null,
        };
        if (expected is null)
        {
            return TypedResults.NoContent(); // authentic, but no refund event this service knows: acknowledged
        }

        if (notice.Status != expected)
        {
            return Refuse(StatusCodes.Status400BadRequest, "bad-resource", $"The refund's status {notice.Status} does not match the event {eventType}.");
        }

        var refund = await s.Db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.OutRefundNo == notice.OutRefundNo, ct);
        var order = refund is null ? null : await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == refund.OrderId, ct);
        if (refund is null || order is null)
        {
            return Refuse(StatusCodes.Status404NotFound, "unknown-refund", $"No refund has the merchant refund number {notice.OutRefundNo}.");
        }

        var mismatch = refund.Method != PaymentMethods.Online ? $"refund is a {refund.Method} refund, not one sent to the provider"
            : refund.OutTradeNoOf(order) != notice.OutTradeNo ? $"order number {notice.OutTradeNo} is not the refunded order's"
            : notice.RefundFen != refund.AmountFen ? $"refund amount {notice.RefundFen} fen differs from the refund's {refund.AmountFen} fen"
            : notice.TotalFen is { } total && total != refund.TotalFenOf(order) ? $"order total {total} fen differs from the order's {refund.TotalFenOf(order)} fen"
            : null;
        if (mismatch is not null)
        {
            LogRefused(s.Logger, "mismatch", $"refund {refund.Id}: {mismatch}");
            return Refuse(StatusCodes.Status400BadRequest, "mismatch", $"The notify's {mismatch}: not accepted for this refund.");
        }

        var now = s.Time.GetUtcNow();
        if (expected == ProviderRefundResult.Success)
        {
            // The provider's word that the money went back is final, even after an abnormal refund was settled at the merchant platform.
            if (await RefundOutcomes.CompleteAsync(s.Db, refund.Id, notice.RefundId, notice.SuccessTime ?? now, RefundSources.ProviderNotify, fromFailed: true, s.Logger, ct))
            {
                return TypedResults.NoContent();
            }

            var status = await s.Db.Refunds.Where(r => r.Id == refund.Id).Select(r => r.Status).FirstAsync(ct);
            return status == RefundStatus.Succeeded
                ? TypedResults.NoContent() // told before, or the refund query got there first
                : Refuse(StatusCodes.Status409Conflict, "not-refundable", $"Order {order.Id} is {order.Status.ToString().ToLowerInvariant()}: the refund was not applied; a person must look.");
        }

        if (await RefundOutcomes.FailAsync(s.Db, refund.Id, expected, RefundRules.ProviderFailure(expected), RefundSources.ProviderNotify, now, ct) == 1)
        {
            LogRefundFailed(s.Logger, refund.Id, order.Id, expected);
            return TypedResults.NoContent();
        }

        var current = await s.Db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refund.Id, ct);
        return current.Status == RefundStatus.Failed
            ? TypedResults.NoContent() // told before
            : Refuse(StatusCodes.Status409Conflict, "refund-done", $"Refund {refund.Id} is done already; the provider's later {expected} is not applied. A person must look.");
    }

    [LoggerMessage(LogLevel.Warning, "Refused a provider notify ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string reason, string detail);

    [LoggerMessage(LogLevel.Warning, "Refund {RefundId} of order {OrderId} failed at the provider: {Status}")]
    private static partial void LogRefundFailed(ILogger logger, Guid refundId, Guid orderId, string status);
}
