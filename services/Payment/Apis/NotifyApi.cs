using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Apis;

/// <summary>
/// The provider's payment notify (支付结果通知): anonymous, because WeChat Pay calls it, and trusted only when its
/// signature verifies against the platform key, its timestamp is fresh, its nonce is new, its resource decrypts under
/// the API v3 key and the decrypted amount and currency are the order's. Anything else is a 4xx and changes nothing;
/// the same payment told twice (WeChat Pay retries) changes the order once and publishes one PaymentSucceeded.
/// </summary>
public static partial class NotifyApi
{
    /// <summary>A WeChat Pay notify is about 1 KB; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapNotifyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix + "/notify").WithTags("Provider notify");
        group.MapPost("/wechatpay", NotifyAsync).WithName("WeChatPayNotify")
            .WithSummary("WeChat Pay API v3 payment notify: 204 when handled (or already handled), a 4xx with code FAIL when refused.")
            .AllowAnonymous();
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> NotifyAsync(HttpRequest request, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "too-large", $"A notify body is at most {MaxBodyBytes} bytes.");
        }

        var body = await ReadBoundedAsync(request.Body, ct);
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

        if (notify.Transaction is not { } t || notify.EventType != "TRANSACTION.SUCCESS" || t.State != ProviderTransaction.Success)
        {
            // Authentic, but not a successful payment: acknowledged, nothing to do (the student may still pay).
            return TypedResults.NoContent();
        }

        var order = await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.OutTradeNo == t.OutTradeNo, ct);
        if (order is null)
        {
            return Refuse(StatusCodes.Status404NotFound, "unknown-order", $"No order has the merchant order number {t.OutTradeNo}.");
        }

        if (OrderRules.Mismatch(order, t.AmountFen ?? -1, t.Currency ?? "") is { } mismatch)
        {
            LogRefused(s.Logger, "mismatch", $"{order.Id}: {mismatch}");
            return Refuse(StatusCodes.Status400BadRequest, "mismatch", $"The notify's {mismatch}: not accepted as this order's payment.");
        }

        var outcome = await OrderPayments.MarkPaidAsync(s.Db, order, PaymentMethods.Online, t.TransactionId, t.SuccessTime ?? s.Time.GetUtcNow(), s.Logger, ct);
        return outcome switch
        {
            PaidOutcome.Paid or PaidOutcome.AlreadyPaid => TypedResults.NoContent(),
            _ => Refuse(StatusCodes.Status409Conflict, "not-payable", $"Order {order.Id} is {order.Status.ToString().ToLowerInvariant()}, not awaiting payment: refund it at the provider."),
        };
    }

    /// <summary>WeChat Pay reads <c>code</c> and <c>message</c> from a refusal; people read the ProblemDetails.</summary>
    private static ProblemHttpResult Refuse(int status, string reason, string detail) =>
        TypedResults.Problem(
            statusCode: status,
            title: "Notify refused",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "FAIL", ["message"] = detail, ["reason"] = reason });

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(LogLevel.Warning, "Refused a provider notify ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string reason, string detail);
}
