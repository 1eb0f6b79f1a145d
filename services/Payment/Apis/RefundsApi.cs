using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Apis;

/// <summary>
/// Refunds (退费): a school admin sets a campaign's refund date or asks for one order's refund; staff see the refunds
/// of their scope and record that cash or campus-card money went back. Online refunds are sent by the refund worker.
/// An order is refunded at most once, however many requests race.
/// </summary>
public static class RefundsApi
{
    public static RouteGroupBuilder MapRefundsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix).WithTags("Refunds");
        group.MapPost("/orders/{orderId:guid}/refunds", RequestAsync).WithName("RequestRefund")
            .WithSummary("Asks for the refund of a paid order (once: a second request is 409). Online refunds go to the provider at once.")
            .RequireRoles(CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapGet("/refunds", ListAsync).WithName("ListRefunds")
            .WithSummary("Refunds in the caller's scope, by campaign, order, status, method and secondPayment (an earlier payment code paid after the order was paid, waived or cancelled: refunded automatically); a failed one says why.")
            .RequireRoles(CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapPost("/refunds/{refundId:guid}/handed-back", HandedBackAsync).WithName("RecordRefundHandedBack")
            .WithSummary("Records that a cash or campus-card refund (requested, or failed at finance) was handed back: the order becomes refunded.")
            .RequireRoles(CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin);
        group.MapPut("/campaigns/{campaignId:guid}/refund-date", SetRefundDateAsync).WithName("SetRefundDate")
            .WithSummary("Sets the campaign's refund date: absentees with no makeup booking by then are refunded.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        return group;
    }

    private static async Task<Results<Accepted<RefundView>, ProblemHttpResult>> RequestAsync(
        Guid orderId, RefundRequest request, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > OrdersApi.MaxReasonLength)
        {
            return Problems.Invalid("reason", $"Say why the fee goes back, in 1 to {OrdersApi.MaxReasonLength} characters.");
        }

        var order = await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || !caller.MaySee(order))
        {
            return Problems.NotFound($"No payment order {orderId} in your scope.");
        }

        if (order.Status != OrderStatus.Paid)
        {
            return Problems.Conflict($"Only a paid order can be refunded; this one is {order.Status.ToString().ToLowerInvariant()}.", "not-paid");
        }

        var refund = await RefundRequests.TryRequestAsync(s.Db, order, reason, s.Time.GetUtcNow(), ct);
        if (refund is null)
        {
            return Problems.Conflict("This order has a refund already; it is never refunded twice.", "already-refunded");
        }

        s.Refunds.Wake();
        return TypedResults.Accepted($"{PaymentDbContext.RoutePrefix}/refunds?orderId={orderId}", RefundView.From(refund, order));
    }

    private static async Task<Results<Ok<List<RefundView>>, ProblemHttpResult>> ListAsync(
        Caller caller, [AsParameters] PaymentServices s, CancellationToken ct, Guid? campaignId = null, Guid? orderId = null, string? status = null, string? method = null,
        bool? secondPayment = null)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (method is not (null or PaymentMethods.Online or PaymentMethods.Cash or PaymentMethods.CampusCard))
        {
            return Problems.Invalid("method", $"Use one of {PaymentMethods.Online}, {PaymentMethods.Cash}, {PaymentMethods.CampusCard}.");
        }

        RefundStatus? wanted = null;
        if (status is not null)
        {
            if (status.Length > 16 || !Enum.TryParse<RefundStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Invalid("status", "Use one of requested, succeeded, failed.");
            }

            wanted = parsed;
        }

        var orders = caller.Scope(s.Db.Orders.AsNoTracking());
        if (campaignId is { } c)
        {
            orders = orders.Where(o => o.CampaignId == c);
        }

        if (orderId is { } id)
        {
            orders = orders.Where(o => o.Id == id);
        }

        var refunds = s.Db.Refunds.AsNoTracking();
        if (wanted is { } w)
        {
            refunds = refunds.Where(r => r.Status == w);
        }

        if (method is not null)
        {
            refunds = refunds.Where(r => r.Method == method);
        }

        if (secondPayment is { } second)
        {
            refunds = second ? refunds.Where(r => r.SupersededOutTradeNo != null) : refunds.Where(r => r.SupersededOutTradeNo == null);
        }

        var list = await (from r in refunds join o in orders on r.OrderId equals o.Id orderby r.RequestedAt select new { r, o })
            .Take(OrdersApi.MaxPageSize * 5).ToListAsync(ct);
        return TypedResults.Ok(list.Select(x => RefundView.From(x.r, x.o)).ToList());
    }

    private static async Task<Results<Ok<RefundView>, ProblemHttpResult>> HandedBackAsync(Guid refundId, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var refund = await s.Db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == refundId, ct);
        var order = refund is null ? null : await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == refund.OrderId, ct);
        if (refund is null || order is null || !caller.MaySee(order))
        {
            return Problems.NotFound($"No refund {refundId} in your scope.");
        }

        if (refund.Method == PaymentMethods.Online)
        {
            return Problems.Conflict("Online refunds go back through the provider; nothing is handed back by hand.", "online");
        }

        // A failed card refund (finance could not credit the card) may still be handed back another way.
        if (!await RefundOutcomes.CompleteAsync(s.Db, refundId, null, s.Time.GetUtcNow(), RefundSources.HandedBack, fromFailed: true, s.Logger, ct))
        {
            return Problems.Conflict("This refund is done already.", "not-requested");
        }

        return TypedResults.Ok(RefundView.From(await s.Db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, ct), order));
    }

    private static async Task<Results<Ok<RefundDateView>, ProblemHttpResult>> SetRefundDateAsync(
        Guid campaignId, RefundDateRequest request, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (request.RefundDate is not { } date || date.Year is < 2000 or > 2100)
        {
            return Problems.Invalid("refundDate", "Give the refund date as yyyy-MM-dd (Asia/Shanghai), between 2000 and 2100.");
        }

        var otherSchool = await s.Db.Orders.AnyAsync(o => o.CampaignId == campaignId && o.SchoolCode != caller.School, ct);
        var policy = await s.Db.RefundPolicies.FirstOrDefaultAsync(p => p.CampaignId == campaignId, ct);
        if (otherSchool || (policy is not null && !caller.ActsForSchool(policy.SchoolCode)))
        {
            return Problems.Forbidden($"Campaign {campaignId} belongs to another school.");
        }

        if (policy is null)
        {
            policy = new CampaignRefundPolicy { CampaignId = campaignId, SchoolCode = caller.School! };
            s.Db.RefundPolicies.Add(policy);
        }

        policy.RefundFrom = ShanghaiTime.ToUtc(date, TimeOnly.MinValue);
        policy.UpdatedAt = s.Time.GetUtcNow();
        await s.Db.SaveChangesAsync(ct);
        s.Refunds.Wake();
        return TypedResults.Ok(new RefundDateView(campaignId, date));
    }
}
