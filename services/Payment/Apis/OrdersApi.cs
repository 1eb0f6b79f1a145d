using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Apis;

/// <summary>
/// Payment orders: a student sees their own and starts an online payment (a WeChat Pay QR code, or inside WeChat for
/// their openid); staff list their college's or school's orders and vouchers; a school admin waives a fee with a reason.
/// </summary>
public static partial class OrdersApi
{
    public const int MaxPageSize = 200;
    public const int MaxReasonLength = 500;

    /// <summary>A JSON body of a few fields: the JSAPI start is refused above this, unread.</summary>
    public const int MaxSmallBodyBytes = 4 * 1024;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix).WithTags("Orders");
        group.MapGet("/me/orders", GetMineAsync).WithName("GetMyOrders")
            .WithSummary("The caller's payment orders, with status and voucher number once paid.")
            .RequireRoles(CaptureRoles.Student);
        group.MapPost("/me/orders/{orderId:guid}/online", PayOnlineAsync).WithName("PayOnline")
            .WithSummary("Starts (or resumes) paying an order online: answers the WeChat Pay code_url to show as a QR code.")
            .RequireRoles(CaptureRoles.Student);
        group.MapPost("/me/orders/{orderId:guid}/jsapi", PayInWeChatAsync).WithName("PayInWeChat")
            .WithSummary("Starts (or resumes) paying an order inside WeChat for the student's openid: answers the signed parameters of wx.requestPayment (appId, timeStamp, nonceStr, package, signType, paySign).")
            .WithMetadata(new RequestSizeLimitAttribute(MaxSmallBodyBytes)) // {"openid": "..."}: anything bigger is refused (413) before it is read
            .RequireRoles(CaptureRoles.Student);
        group.MapGet("/orders", ListAsync).WithName("ListOrders")
            .WithSummary("Orders in the caller's scope, filtered by campaign, college and status; pages of at most 200.")
            .RequireRoles(CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapGet("/orders/{orderId:guid}", GetAsync).WithName("GetOrder")
            .WithSummary("One order in the caller's scope.")
            .RequireRoles(CaptureRoles.Student, CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapPut("/campaigns/{campaignId:guid}/fee-items", SetFeeItemsAsync).WithName("SetFeeItems")
            .WithSummary("Itemises the campaign's fee (e.g. 15 web + 15 photo); the total becomes the fee of every order not yet paid.")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        group.MapPost("/orders/{orderId:guid}/waive", WaiveAsync).WithName("WaiveOrder")
            .WithSummary("Waives an unpaid fee, with the reason (shown in reports).")
            .RequireRoles(CaptureRoles.SchoolAdmin);
        return group;
    }

    private static async Task<Results<Ok<List<OrderView>>, ProblemHttpResult>> GetMineAsync(Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var orders = await caller.Scope(s.Db.Orders.AsNoTracking()).OrderBy(o => o.CreatedAt).Take(MaxPageSize).ToListAsync(ct);
        return TypedResults.Ok(await OrderView.ManyAsync(s.Db, orders, ct));
    }

    private static async Task<Results<Ok<OnlinePaymentView>, ProblemHttpResult>> PayOnlineAsync(
        Guid orderId, Caller caller, [AsParameters] PaymentServices s, IOptions<WeChatPayOptions> wechat, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var order = await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || !caller.MaySee(order))
        {
            return Problems.NotFound($"You have no payment order {orderId}.");
        }

        if (order.Status != OrderStatus.Pending)
        {
            return Problems.Conflict($"This order is {order.Status.ToString().ToLowerInvariant()}: there is nothing to pay.", "not-payable");
        }

        var now = s.Time.GetUtcNow();
        var lifetime = wechat.Value.OrderLifetime;
        // Resume within the order's lifetime (half of it, so a student never scans a code about to expire).
        if (order.CodeUrl is { } existing && order.Channel is (null or PaymentChannels.Native) && order.OnlineStartedAt is { } started && now - started < lifetime / 2)
        {
            return TypedResults.Ok(new OnlinePaymentView(order.Id, existing, order.AmountFen, order.Currency, s.Provider.Name));
        }

        var (outTradeNo, problem) = await ProviderOrderNumberAsync(order, PaymentChannels.Native, null, s, ct);
        if (problem is not null)
        {
            return problem;
        }

        string codeUrl;
        try
        {
            codeUrl = await s.Provider.CreateQrOrderAsync(
                new ProviderOrder(outTradeNo!, wechat.Value.Description, order.AmountFen, order.Currency, now + lifetime), ct);
        }
        catch (Exception e) when (IsProviderDown(e))
        {
            LogProviderDown(s.Logger, order.Id, e.Message);
            return ProviderDown();
        }

        var stored = await s.Db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Pending && o.OutTradeNo == outTradeNo)
            .ExecuteUpdateAsync(
                set => set.SetProperty(o => o.CodeUrl, codeUrl).SetProperty(o => o.OnlineStartedAt, now).SetProperty(o => o.Channel, PaymentChannels.Native)
                    .SetProperty(o => o.PrepayId, (string?)null).SetProperty(o => o.PayerOpenId, (string?)null),
                ct);
        if (stored == 0)
        {
            return await ChangedAfterProviderOrderAsync(order, outTradeNo!, PaymentChannels.Native, s, ct);
        }

        return TypedResults.Ok(new OnlinePaymentView(order.Id, codeUrl, order.AmountFen, order.Currency, s.Provider.Name));
    }

    private static async Task<Results<Ok<JsapiPaymentView>, ProblemHttpResult>> PayInWeChatAsync(
        Guid orderId, JsapiPaymentRequest request, Caller caller, [AsParameters] PaymentServices s, IOptions<WeChatPayOptions> wechat, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var openId = request.OpenId;
        if (!OpenId.IsValid(openId))
        {
            return Problems.Invalid(
                "openid",
                $"Give the student's WeChat openid under the merchant's appid (from wx.login or the official account's sign-in): 1 to {OpenId.MaxLength} letters, digits, '_' or '-'.");
        }

        var order = await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || !caller.MaySee(order))
        {
            return Problems.NotFound($"You have no payment order {orderId}.");
        }

        if (order.Status != OrderStatus.Pending)
        {
            return Problems.Conflict($"This order is {order.Status.ToString().ToLowerInvariant()}: there is nothing to pay.", "not-payable");
        }

        var now = s.Time.GetUtcNow();
        var lifetime = wechat.Value.OrderLifetime;
        try
        {
            // The same payer again while the prepay is young: the same prepay, signed anew (WeChat keeps a prepay_id 2 hours).
            if (order.Channel == PaymentChannels.Jsapi && order.PayerOpenId == openId && order.PrepayId is { } prepay
                && order.OnlineStartedAt is { } started && now - started < lifetime / 2)
            {
                return TypedResults.Ok(new JsapiPaymentView(order.Id, order.AmountFen, order.Currency, s.Provider.Name, await s.Provider.SignJsapiPaymentAsync(prepay, ct)));
            }

            var (outTradeNo, problem) = await ProviderOrderNumberAsync(order, PaymentChannels.Jsapi, openId, s, ct);
            if (problem is not null)
            {
                return problem;
            }

            var prepayId = await s.Provider.CreateJsapiOrderAsync(
                new ProviderOrder(outTradeNo!, wechat.Value.Description, order.AmountFen, order.Currency, now + lifetime), openId!, ct);
            var stored = await s.Db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Pending && o.OutTradeNo == outTradeNo)
                .ExecuteUpdateAsync(
                    set => set.SetProperty(o => o.PrepayId, prepayId).SetProperty(o => o.PayerOpenId, openId).SetProperty(o => o.Channel, PaymentChannels.Jsapi)
                        .SetProperty(o => o.OnlineStartedAt, now).SetProperty(o => o.CodeUrl, (string?)null),
                    ct);
            if (stored == 0)
            {
                return await ChangedAfterProviderOrderAsync(order, outTradeNo!, PaymentChannels.Jsapi, s, ct);
            }

            return TypedResults.Ok(new JsapiPaymentView(order.Id, order.AmountFen, order.Currency, s.Provider.Name, await s.Provider.SignJsapiPaymentAsync(prepayId, ct)));
        }
        catch (Exception e) when (IsProviderDown(e))
        {
            LogProviderDown(s.Logger, order.Id, e.Message);
            return ProviderDown();
        }
    }

    /// <summary>
    /// The merchant order number to make the provider order under. The provider refuses a second order under one number
    /// with other parameters (a QR code, then in WeChat, or another payer), so the earlier provider order is closed first
    /// (it can then never be paid) and the order takes a new number; when the provider says it was paid meanwhile, nothing
    /// changes and the notify or the poller makes the order paid.
    /// </summary>
    private static async Task<(string? OutTradeNo, ProblemHttpResult? Problem)> ProviderOrderNumberAsync(
        PaymentOrder order, string channel, string? openId, PaymentServices s, CancellationToken ct)
    {
        var current = order.Channel ?? (order.OnlineStartedAt is null ? null : PaymentChannels.Native);
        if (current is null || (current == channel && order.PayerOpenId == openId))
        {
            return (order.OutTradeNo, null);
        }

        ProviderClose closed;
        try
        {
            closed = await s.Provider.CloseAsync(order.OutTradeNo, ct);
        }
        catch (Exception e) when (IsProviderDown(e))
        {
            LogProviderDown(s.Logger, order.Id, e.Message);
            return (null, ProviderDown());
        }

        if (closed.WasPaid)
        {
            return (null, Problems.Conflict("Your earlier online payment of this order went through; it shows here in a moment. Do not pay again.", "paid-meanwhile"));
        }

        var next = PaymentOrder.NewOutTradeNo();
        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        var moved = await s.Db.Orders.Where(o => o.Id == order.Id && o.Status == OrderStatus.Pending && o.OutTradeNo == order.OutTradeNo)
            .ExecuteUpdateAsync(
                set => set.SetProperty(o => o.OutTradeNo, next).SetProperty(o => o.CodeUrl, (string?)null).SetProperty(o => o.OnlineStartedAt, (DateTimeOffset?)null)
                    .SetProperty(o => o.Channel, (string?)null).SetProperty(o => o.PrepayId, (string?)null).SetProperty(o => o.PayerOpenId, (string?)null),
                ct);
        if (moved == 0)
        {
            return (null, Changed());
        }

        // Closed just now, but a request racing this one may still be creating the provider order under the old number:
        // remembered, the closer closes it again and a payment under it still counts.
        await SupersededPayments.RememberAsync(s.Db, SupersededRules.Remember(order, s.Time.GetUtcNow(), s.Wechat.Value.OrderLifetime), ct);
        await transaction.CommitAsync(ct);
        return (next, null);
    }

    /// <summary>
    /// The provider order was made under <paramref name="outTradeNo"/> but the order changed meanwhile: when it left that
    /// number (re-priced or switched by a racing request), the number is remembered so that the closer closes it.
    /// </summary>
    private static async Task<ProblemHttpResult> ChangedAfterProviderOrderAsync(PaymentOrder order, string outTradeNo, string channel, PaymentServices s, CancellationToken ct)
    {
        var now = s.Time.GetUtcNow();
        var current = await s.Db.Orders.AsNoTracking().Where(o => o.Id == order.Id).Select(o => o.OutTradeNo).FirstAsync(ct);
        if (current != outTradeNo)
        {
            var made = new PaymentOrder { Id = order.Id, OutTradeNo = outTradeNo, AmountFen = order.AmountFen, Currency = order.Currency, Channel = channel, OnlineStartedAt = now };
            await SupersededPayments.RememberAsync(s.Db, SupersededRules.Remember(made, now, s.Wechat.Value.OrderLifetime), ct);
        }

        return Changed();
    }

    private static bool IsProviderDown(Exception e) =>
        e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException;

    private static ProblemHttpResult ProviderDown() =>
        Problems.Unavailable("The payment provider did not answer; try again in a minute, or pay your college secretary in cash.");

    private static ProblemHttpResult Changed() =>
        Problems.Conflict("This order changed meanwhile (paid, waived, cancelled or re-priced); reload it.", "changed");

    private static async Task<Results<Ok<OrderPage>, ProblemHttpResult>> ListAsync(
        Caller caller, [AsParameters] PaymentServices s, CancellationToken ct,
        Guid? campaignId = null, string? collegeCode = null, string? status = null, int page = 1, int pageSize = 50)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        if (page is < 1 or > 100_000)
        {
            return Problems.Invalid("page", "Give a page number from 1 to 100000.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            return Problems.Invalid("pageSize", $"Give a page size from 1 to {MaxPageSize}.");
        }

        if (collegeCode is { Length: > 32 })
        {
            return Problems.Invalid("collegeCode", "A college code has at most 32 characters.");
        }

        OrderStatus? wanted = null;
        if (status is not null)
        {
            if (status.Length > 16 || !Enum.TryParse<OrderStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Invalid("status", "Use one of pending, paid, waived, cancelled, refunded.");
            }

            wanted = parsed;
        }

        var query = caller.Scope(s.Db.Orders.AsNoTracking());
        if (campaignId is { } c)
        {
            query = query.Where(o => o.CampaignId == c);
        }

        if (!string.IsNullOrEmpty(collegeCode))
        {
            query = query.Where(o => o.CollegeCode == collegeCode);
        }

        if (wanted is { } w)
        {
            query = query.Where(o => o.Status == w);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(o => o.CollegeCode).ThenBy(o => o.StudentNumber).ThenBy(o => o.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new OrderPage(await OrderView.ManyAsync(s.Db, items, ct), page, pageSize, total));
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetAsync(Guid orderId, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var order = await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        return order is not null && caller.MaySee(order)
            ? TypedResults.Ok((await OrderView.ManyAsync(s.Db, [order], ct))[0])
            : Problems.NotFound($"No payment order {orderId} in your scope.");
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> WaiveAsync(
        Guid orderId, WaiveRequest request, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return Problems.Invalid("reason", $"Say why the fee is waived, in 1 to {MaxReasonLength} characters.");
        }

        var order = await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || !caller.MaySee(order))
        {
            return Problems.NotFound($"No payment order {orderId} in your scope.");
        }

        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        var locked = (await s.Db.Orders.FromSqlInterpolated($"SELECT *, xmin FROM payment.orders WHERE id = {orderId} FOR UPDATE").ToListAsync(ct)).Single();
        if (locked.Status != OrderStatus.Pending)
        {
            return Problems.Conflict($"Only a pending order can be waived; this one is {locked.Status.ToString().ToLowerInvariant()}.", "not-pending");
        }

        locked.Status = OrderStatus.Waived;
        locked.WaiverReason = reason;
        // The QR code or WeChat order the student may still have open is closed, and a payment under it refunded.
        if (OrderRules.GiveUpNumber(locked, new Renumbering(s.Time.GetUtcNow(), s.Wechat.Value.OrderLifetime)) is { } superseded)
        {
            await SupersededPayments.RememberAsync(s.Db, superseded, ct);
        }

        // Check-in admits a registration with a fee only once it is paid: a waiver is announced as a payment of 0 fen.
        s.Db.AddIntegrationEvent(new PaymentSucceeded(order.Id, order.RegistrationId, order.CampaignId, 0, order.Currency, PaymentMethods.Waiver, s.Time.GetUtcNow()));
        await s.Db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var updated = await s.Db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, ct);
        return TypedResults.Ok(OrderView.From(updated));
    }

    private static async Task<Results<Ok<FeeItemsView>, ProblemHttpResult>> SetFeeItemsAsync(
        Guid campaignId, FeeItemsRequest request, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var input = request.Items ?? [];
        if (input.Count is 0 or > CampaignFee.MaxItems)
        {
            return Problems.Invalid("items", $"Give 1 to {CampaignFee.MaxItems} fee items, each with a name and an amount in fen.");
        }

        var items = new List<FeeItem>();
        for (var i = 0; i < input.Count; i++)
        {
            var name = input[i]?.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > CampaignFee.MaxNameLength)
            {
                return Problems.Invalid($"items[{i}].name", $"Name the item in 1 to {CampaignFee.MaxNameLength} characters (e.g. 拍照费).");
            }

            if (input[i]!.AmountFen is not (>= 0 and <= OrderRules.MaxFeeFen) || input[i]!.AmountFen is not long fen)
            {
                return Problems.Invalid($"items[{i}].amountFen", $"Give the item's amount in fen (分), 0 to {OrderRules.MaxFeeFen}.");
            }

            items.Add(new FeeItem(name, fen));
        }

        var total = items.Sum(i => i.AmountFen);
        if (total is <= 0 or > OrderRules.MaxFeeFen)
        {
            return Problems.Invalid("items", $"The items must add up to more than 0 and at most {OrderRules.MaxFeeFen} fen; waive fees one by one instead.");
        }

        if (await s.Db.Orders.AnyAsync(o => o.CampaignId == campaignId && o.SchoolCode != caller.School, ct)
            || await s.Db.CampaignFees.AnyAsync(f => f.CampaignId == campaignId && f.SchoolCode != caller.School, ct))
        {
            return Problems.Forbidden($"Campaign {campaignId} belongs to another school.");
        }

        await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
        var fee = await s.Db.CampaignFees.FirstOrDefaultAsync(f => f.CampaignId == campaignId, ct);
        if (fee is null)
        {
            fee = new CampaignFee { CampaignId = campaignId, SchoolCode = caller.School! };
            s.Db.CampaignFees.Add(fee);
        }

        fee.ItemsJson = System.Text.Json.JsonSerializer.Serialize(items, System.Text.Json.JsonSerializerOptions.Web);
        fee.UpdatedAt = s.Time.GetUtcNow();
        await s.Db.SaveChangesAsync(ct);

        // A changed fee applies to orders not yet paid, each under a new merchant order number (the provider refuses a second
        // amount under one). The number given up is remembered when a provider order may exist under it (SupersededRules.Of:
        // a QR code shown or a prepay made), so the closer closes it; the rows are locked first, so a code shown at this
        // instant is either seen here or refused as changed.
        var now = s.Time.GetUtcNow();
        var lifetime = s.Wechat.Value.OrderLifetime;
        var repriced = await s.Db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            WITH old AS (
                SELECT id, out_trade_no, amount_fen, currency, channel, online_started_at,
                       (code_url IS NOT NULL OR prepay_id IS NOT NULL OR online_started_at IS NOT NULL) AS provider_order
                  FROM payment.orders
                 WHERE campaign_id = {campaignId} AND school_code = {caller.School} AND status = 'Pending' AND amount_fen <> {total}
                   FOR UPDATE
            ), remembered AS (
                INSERT INTO payment.superseded_trade_numbers (out_trade_no, order_id, amount_fen, currency, channel, superseded_at, expires_at, state, attempts, next_attempt_at)
                SELECT out_trade_no, id, amount_fen, currency, coalesce(channel, {PaymentChannels.Native}), {now}, coalesce(online_started_at, {now}) + {lifetime}, 'Open', 0, {now}
                  FROM old
                 WHERE provider_order
                ON CONFLICT (out_trade_no) DO NOTHING
            )
            UPDATE payment.orders o
               SET amount_fen = {total}, out_trade_no = replace(gen_random_uuid()::text, '-', ''), code_url = NULL, online_started_at = NULL,
                   channel = NULL, prepay_id = NULL, payer_open_id = NULL
              FROM old
             WHERE o.id = old.id
            """,
            ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new FeeItemsView(campaignId, items, total, repriced));
    }

    [LoggerMessage(LogLevel.Warning, "Starting an online payment of order {OrderId} failed: {Error}")]
    private static partial void LogProviderDown(ILogger logger, Guid orderId, string error);
}
