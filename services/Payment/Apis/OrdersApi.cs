using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Apis;

/// <summary>
/// Payment orders: a student sees their own and starts an online payment (a WeChat Pay QR code); staff list their
/// college's or school's orders and vouchers; a school admin waives a fee with a reason.
/// </summary>
public static partial class OrdersApi
{
    public const int MaxPageSize = 200;
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentDbContext.RoutePrefix).WithTags("Orders");
        group.MapGet("/me/orders", GetMineAsync).WithName("GetMyOrders")
            .WithSummary("The caller's payment orders, with status and voucher number once paid.")
            .RequireRoles(CaptureRoles.Student);
        group.MapPost("/me/orders/{orderId:guid}/online", PayOnlineAsync).WithName("PayOnline")
            .WithSummary("Starts (or resumes) paying an order online: answers the WeChat Pay code_url to show as a QR code.")
            .RequireRoles(CaptureRoles.Student);
        group.MapGet("/orders", ListAsync).WithName("ListOrders")
            .WithSummary("Orders in the caller's scope, filtered by campaign, college and status; pages of at most 200.")
            .RequireRoles(CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapGet("/orders/{orderId:guid}", GetAsync).WithName("GetOrder")
            .WithSummary("One order in the caller's scope.")
            .RequireRoles(CaptureRoles.Student, CaptureRoles.CollegeStaff, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
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
        return TypedResults.Ok(orders.Select(OrderView.From).ToList());
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
        if (order.CodeUrl is { } existing && order.OnlineStartedAt is { } started && now - started < lifetime / 2)
        {
            return TypedResults.Ok(new OnlinePaymentView(order.Id, existing, order.AmountFen, order.Currency, s.Provider.Name));
        }

        string codeUrl;
        try
        {
            codeUrl = await s.Provider.CreateQrOrderAsync(
                new ProviderOrder(order.OutTradeNo, wechat.Value.Description, order.AmountFen, order.Currency, now + lifetime), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            LogProviderDown(s.Logger, order.Id, e.Message);
            return Problems.Unavailable("The payment provider did not answer; try again in a minute, or pay your college secretary in cash.");
        }

        var stored = await s.Db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Pending && o.OutTradeNo == order.OutTradeNo)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.CodeUrl, codeUrl).SetProperty(o => o.OnlineStartedAt, now), ct);
        if (stored == 0)
        {
            return Problems.Conflict("This order changed meanwhile (paid, waived, cancelled or re-priced); reload it.", "changed");
        }

        return TypedResults.Ok(new OnlinePaymentView(order.Id, codeUrl, order.AmountFen, order.Currency, s.Provider.Name));
    }

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
        return TypedResults.Ok(new OrderPage(items.Select(OrderView.From).ToList(), page, pageSize, total));
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetAsync(Guid orderId, Caller caller, [AsParameters] PaymentServices s, CancellationToken ct)
    {
        if (caller.MissingClaim is { } claim)
        {
            return Problems.MissingClaim(claim);
        }

        var order = await s.Db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        return order is not null && caller.MaySee(order)
            ? TypedResults.Ok(OrderView.From(order))
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
        var changed = await s.Db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, OrderStatus.Waived).SetProperty(o => o.WaiverReason, reason), ct);
        if (changed == 0)
        {
            return Problems.Conflict($"Only a pending order can be waived; this one is {order.Status.ToString().ToLowerInvariant()}.", "not-pending");
        }

        // Check-in admits a registration with a fee only once it is paid: a waiver is announced as a payment of 0 fen.
        s.Db.AddIntegrationEvent(new PaymentSucceeded(order.Id, order.RegistrationId, order.CampaignId, 0, order.Currency, PaymentMethods.Waiver, s.Time.GetUtcNow()));
        await s.Db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var updated = await s.Db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, ct);
        return TypedResults.Ok(OrderView.From(updated));
    }

    [LoggerMessage(LogLevel.Warning, "Starting an online payment of order {OrderId} failed: {Error}")]
    private static partial void LogProviderDown(ILogger logger, Guid orderId, string error);
}
