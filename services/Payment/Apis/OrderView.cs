using Capture.Payment.Domain;

namespace Capture.Payment.Apis;

/// <summary>An order as callers see it: amounts in fen, the status and method as words, the voucher once paid.</summary>
public sealed record OrderView(
    Guid Id,
    Guid RegistrationId,
    Guid CampaignId,
    string SchoolCode,
    string CollegeCode,
    string CollegeName,
    string? ClassName,
    string StudentNumber,
    string StudentName,
    long AmountFen,
    string Currency,
    string Status,
    string? Method,
    string? VoucherNumber,
    DateTimeOffset? PaidAt,
    DateTimeOffset? RefundedAt,
    string? WaiverReason,
    string OutTradeNo,
    IReadOnlyList<FeeItem> Items,
    long? RepricedFeeFen = null)
{
    public static OrderView From(PaymentOrder o, CampaignFee? fee = null) => new(
        o.Id, o.RegistrationId, o.CampaignId, o.SchoolCode, o.CollegeCode, o.CollegeName, o.ClassName, o.StudentNumber, o.StudentName,
        o.AmountFen, o.Currency, o.Status.ToString().ToLowerInvariant(), o.Method, o.VoucherNumber, o.PaidAt, o.RefundedAt, o.WaiverReason, o.OutTradeNo, CampaignFee.ItemsOf(o, fee),
        o.RepricedFeeFen);

    public static async Task<List<OrderView>> ManyAsync(Infrastructure.PaymentDbContext db, IReadOnlyCollection<PaymentOrder> orders, CancellationToken ct)
    {
        var fees = await db.FeesOfAsync(orders.Select(o => o.CampaignId), ct);
        return orders.Select(o => From(o, fees.GetValueOrDefault(o.CampaignId))).ToList();
    }
}

/// <summary>What a student needs to pay online: the QR code's content (WeChat's code_url) and the amount.</summary>
public sealed record OnlinePaymentView(Guid OrderId, string CodeUrl, long AmountFen, string Currency, string Provider);

/// <summary>A student's request to pay inside WeChat: their openid under the merchant's appid (from the official account's or mini program's login).</summary>
public sealed record JsapiPaymentRequest([property: System.Text.Json.Serialization.JsonPropertyName("openid")] string? OpenId);

/// <summary>
/// What a student needs to pay inside WeChat: <see cref="Pay"/> goes as it is to <c>wx.requestPayment</c> (mini program) or
/// <c>WeixinJSBridge.invoke('getBrandWCPayRequest', …)</c> (official account page).
/// </summary>
public sealed record JsapiPaymentView(Guid OrderId, long AmountFen, string Currency, string Provider, Infrastructure.JsapiPayParameters Pay);

/// <summary>A page of orders (at most 200 a page).</summary>
public sealed record OrderPage(IReadOnlyList<OrderView> Items, int Page, int PageSize, int Total);

public sealed record WaiveRequest(string? Reason);

public sealed record RefundRequest(string? Reason);

/// <summary>
/// A refund as staff see it: <see cref="LastError"/> says why a failed one failed (or why one waits), <see cref="ProviderStatus"/>
/// the provider's last word; <see cref="SecondPayment"/> a second payment under an earlier payment code
/// (<see cref="SupersededOutTradeNo"/>), refunded automatically while the order keeps its own payment.
/// </summary>
public sealed record RefundView(
    Guid Id, Guid OrderId, long AmountFen, string Method, string Reason, string Status, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string? LastError,
    string? ProviderStatus = null, string? CompletedVia = null, string? StudentNumber = null, string? StudentName = null, string? CollegeCode = null,
    bool SecondPayment = false, string? SupersededOutTradeNo = null)
{
    public static RefundView From(Refund r, PaymentOrder o) =>
        new(r.Id, r.OrderId, r.AmountFen, r.Method, r.Reason, r.Status.ToString().ToLowerInvariant(), r.RequestedAt, r.CompletedAt, r.LastError, r.ProviderStatus, r.CompletedVia,
            o.StudentNumber, o.StudentName, o.CollegeCode, r.IsSecondPayment, r.SupersededOutTradeNo);
}

public sealed record RefundDateRequest(DateOnly? RefundDate);

public sealed record RefundDateView(Guid CampaignId, DateOnly RefundDate);

public sealed record FeeItemsRequest(List<FeeItemInput?>? Items);

public sealed record FeeItemInput(string? Name, long? AmountFen);

public sealed record FeeItemsView(Guid CampaignId, IReadOnlyList<FeeItem> Items, long TotalFen, int Repriced);
