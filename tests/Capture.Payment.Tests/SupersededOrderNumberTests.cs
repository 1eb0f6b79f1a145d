using System.Net.Http.Json;
using Capture.Payment.Domain;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Tests;

/// <summary>
/// A QR code shown before the fee changed stays payable at the provider under the order's earlier number: its payment
/// is the order's (at the price asked then), or, when the order was paid another way meanwhile, it is recorded for a
/// refund. Either way the notify is acknowledged and nothing is lost (before, it was refused as unknown-order forever).
/// </summary>
public sealed class SupersededOrderNumberTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    [Fact]
    public async Task The_old_QR_code_paid_after_the_fee_changed_pays_the_order_at_the_old_price_once()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        var old = (await world.OrderAsync(student)).OutTradeNo;

        await RaiseFeeAsync(world, 3500);
        var repriced = await world.OrderAsync(student);
        Assert.Equal(3500, repriced.AmountFen);
        Assert.NotEqual(old, repriced.OutTradeNo);
        var superseded = await world.QueryAsync(db => db.SupersededTradeNos.AsNoTracking().SingleAsync(x => x.OrderId == repriced.Id));
        Assert.Equal((old, 3000L), (superseded.OutTradeNo, superseded.AmountFen));

        await world.PayAtSimulatorAsync(old, new { duplicateNotifies = 1 });
        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal(3000, paid.AmountFen);
        Assert.Equal(PaymentMethods.Online, paid.Method);
        Assert.Equal(old, paid.OutTradeNo); // the number the provider's bill names, so reconciliation matches it
        var current = await world.QueryAsync(db => db.SupersededTradeNos.AsNoTracking().SingleAsync(x => x.OutTradeNo == repriced.OutTradeNo));
        Assert.Equal((paid.Id, 3500L), (current.OrderId, current.AmountFen)); // the newer QR code is remembered in turn
        // Both deliveries answered 2xx (the duplicate acknowledged, not refused as an unknown order), and one state change.
        await Eventually.TrueAsync(async () => (await world.SimulatorOrderAsync(old)).GetProperty("notifiesDelivered").GetInt32() == 2, what: "both notifies delivered");
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
        Assert.Null((await world.QueryAsync(db => db.SupersededTradeNos.AsNoTracking().SingleAsync(x => x.OutTradeNo == old))).PaidTransactionId);
    }

    [Fact]
    public async Task The_old_QR_code_paid_after_the_order_was_paid_in_cash_is_acknowledged_and_recorded_for_a_refund()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        var old = (await world.OrderAsync(student)).OutTradeNo;
        await RaiseFeeAsync(world, 3500);
        using (var staff = world.Staff("law"))
        {
            (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { student.StudentNumber } })).EnsureSuccessStatusCode();
        }

        await world.PayAtSimulatorAsync(old);
        var superseded = await Eventually.GetAsync(
            () => world.QueryAsync(db => db.SupersededTradeNos.AsNoTracking().SingleAsync(x => x.OutTradeNo == old)),
            x => x.PaidTransactionId is not null, TimeSpan.FromSeconds(30), "the second payment recorded on the old number");
        Assert.NotNull(superseded.PaidAt);
        var order = await world.OrderAsync(student);
        Assert.Equal((OrderStatus.Paid, PaymentMethods.Cash, 3500L), (order.Status, order.Method, order.AmountFen));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));
        await Eventually.TrueAsync(async () => (await world.SimulatorOrderAsync(old)).GetProperty("notifiesDelivered").GetInt32() == 1, what: "the notify acknowledged");
    }

    [Fact]
    public async Task A_notify_under_the_old_number_for_another_amount_is_refused()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        var old = (await world.OrderAsync(student)).OutTradeNo;
        await RaiseFeeAsync(world, 3500);

        using var wrong = await world.SendNotifyAsync(await world.SignNotifyAsync(old, 3500));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("earlier order number", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(student)).Status);
    }

    [Fact]
    public void Renumbering_remembers_the_old_number_only_when_the_provider_may_hold_an_order_under_it()
    {
        var shown = new PaymentOrder { Id = Guid.NewGuid(), OutTradeNo = PaymentOrder.NewOutTradeNo(), AmountFen = 3000, CodeUrl = "weixin://wxpay/bizpayurl?pr=x" };
        var before = shown.OutTradeNo;
        shown.Renumber(3000, DateTimeOffset.UtcNow);
        Assert.NotEqual(before, shown.OutTradeNo);
        Assert.Null(shown.CodeUrl);
        Assert.Equal((before, 3000L, shown.Id), (shown.SupersededTradeNos.Single().OutTradeNo, shown.SupersededTradeNos.Single().AmountFen, shown.SupersededTradeNos.Single().OrderId));

        var never = new PaymentOrder { Id = Guid.NewGuid(), OutTradeNo = PaymentOrder.NewOutTradeNo(), AmountFen = 3000 };
        never.Renumber(3000, DateTimeOffset.UtcNow);
        Assert.Empty(never.SupersededTradeNos);
    }

    private static async Task RaiseFeeAsync(PaymentWorld world, long totalFen)
    {
        using var admin = world.Admin();
        using var response = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "拍照", amountFen = totalFen } } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
