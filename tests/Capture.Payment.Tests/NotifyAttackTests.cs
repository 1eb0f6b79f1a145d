using System.Net;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Tests;

/// <summary>
/// Notifies that must change nothing: each answered with a clear 4xx, the order still pending, no event. The notifies
/// are genuinely signed by the simulator's platform key (an attacker with a stolen key is out of scope) unless the
/// test is about the signature itself.
/// </summary>
public sealed class NotifyAttackTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private async Task<(PaymentWorld World, TestStudent Student, PaymentOrder Order)> PendingOnlineAsync(long fee = 3000)
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(fee);
        await world.StartOnlineAsync(student);
        return (world, student, await world.OrderAsync(student));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal("FAIL", problem.GetProperty("code").GetString());
    }

    private static async Task AssertUnchangedAsync(PaymentWorld world, TestStudent student)
    {
        var order = await world.OrderAsync(student);
        Assert.NotEqual(OrderStatus.Paid, order.Status);
        Assert.Null(order.VoucherNumber);
        Assert.Equal(0, await world.EventsAsync("PaymentSucceeded", order.Id));
    }

    [Fact]
    public async Task A_genuine_notify_is_accepted_so_the_refusals_below_are_about_what_they_change()
    {
        var (world, student, order) = await PendingOnlineAsync();
        using var response = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
    }

    [Fact]
    public async Task A_body_changed_after_signing_fails_the_signature()
    {
        var (world, student, order) = await PendingOnlineAsync();
        var notify = await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen);
        using var response = await world.SendNotifyAsync(notify, notify.Body.Replace("encrypt-resource", "encrypt-resourcf"));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
        await AssertUnchangedAsync(world, student);
    }

    [Fact]
    public async Task A_signature_from_an_unknown_platform_serial_is_refused()
    {
        var (world, student, order) = await PendingOnlineAsync();
        var notify = await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen);
        notify.Headers["Wechatpay-Serial"] = "PUB_KEY_ID_SOMEONE_ELSE";
        using var response = await world.SendNotifyAsync(notify);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "unknown-serial");
        await AssertUnchangedAsync(world, student);
    }

    [Fact]
    public async Task An_old_timestamp_is_a_replay()
    {
        var (world, student, order) = await PendingOnlineAsync();
        var old = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();
        using var response = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen, timestamp: old));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "stale");
        await AssertUnchangedAsync(world, student);
    }

    [Fact]
    public async Task A_reused_nonce_is_a_replay_even_when_freshly_signed()
    {
        var (world, student, order) = await PendingOnlineAsync();
        var nonce = "NONCE" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        using var first = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen, tradeState: "NOTPAY", nonce: nonce));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var second = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen, nonce: nonce));
        await AssertRefusedAsync(second, HttpStatusCode.Conflict, "replay");
        await AssertUnchangedAsync(world, student);
    }

    [Theory]
    [InlineData(2999, "CNY")]
    [InlineData(1, "CNY")]
    [InlineData(3000, "USD")]
    public async Task An_amount_or_currency_other_than_the_orders_is_refused(long amount, string currency)
    {
        var (world, student, order) = await PendingOnlineAsync();
        using var response = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, amount, currency));
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "mismatch");
        await AssertUnchangedAsync(world, student);
    }

    [Fact]
    public async Task A_notify_for_an_unknown_order_is_404()
    {
        var world = new PaymentWorld(app);
        using var response = await world.SendNotifyAsync(await world.SignNotifyAsync(Guid.NewGuid().ToString("N"), 3000));
        await AssertRefusedAsync(response, HttpStatusCode.NotFound, "unknown-order");
    }

    [Fact]
    public async Task A_payment_under_the_code_of_a_cancelled_order_is_taken_as_a_second_payment_and_refunded_never_lost()
    {
        var (world, student, order) = await PendingOnlineAsync();
        await app.Bus.Publish(new RegistrationWithdrawn(student.RegistrationId, world.CampaignId, student.CollegeCode, "withdrawn", DateTimeOffset.UtcNow));
        var cancelled = await world.OrderWhenAsync(student, OrderStatus.Cancelled);
        Assert.NotEqual(order.OutTradeNo, cancelled.OutTradeNo);

        using var response = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(OrderStatus.Cancelled, (await world.OrderAsync(student)).Status);
        await AssertUnchangedAsync(world, student);
        var refund = await world.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.SupersededOutTradeNo == order.OutTradeNo));
        Assert.Equal(order.AmountFen, refund.AmountFen);
        Assert.Contains("paid twice", refund.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payment_under_the_current_number_of_an_order_cancelled_before_numbers_were_given_up_is_refunded_too()
    {
        // An order cancelled by an earlier version kept its number with the code open: a payment under it is still money taken.
        var (world, student, order) = await PendingOnlineAsync();
        await world.QueryAsync(db => db.Orders.Where(o => o.Id == order.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelledAt, DateTimeOffset.UtcNow)));

        using var response = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        await AssertUnchangedAsync(world, student);
        var refund = await world.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.OrderId == order.Id));
        Assert.Equal((order.AmountFen, order.OutTradeNo), (refund.AmountFen, refund.SupersededOutTradeNo));

        // The provider's retry of the same payment (another nonce) refunds nothing twice.
        using var again = await world.SendNotifyAsync(await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen));
        Assert.True(again.StatusCode == HttpStatusCode.NoContent, await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == order.Id)));
    }

    [Fact]
    public async Task The_same_notify_sent_twice_at_once_changes_the_order_once_and_publishes_one_event()
    {
        var (world, student, order) = await PendingOnlineAsync();
        var notify = await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen);

        var responses = await Task.WhenAll(world.SendNotifyAsync(notify), world.SendNotifyAsync(notify));

        var codes = responses.Select(r => r.StatusCode).Order().ToList();
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], codes);
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));
    }

    [Fact]
    public async Task Twenty_separately_signed_deliveries_at_once_change_the_order_once_and_publish_one_event()
    {
        var (world, student, order) = await PendingOnlineAsync();
        var notifies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => world.SignNotifyAsync(order.OutTradeNo, order.AmountFen)));

        var responses = await Task.WhenAll(notifies.Select(n => world.SendNotifyAsync(n)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var paid = await world.OrderAsync(student);
        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));
    }

    [Fact]
    public async Task Missing_headers_and_an_oversized_body_are_refused_before_anything_is_read()
    {
        var (world, student, order) = await PendingOnlineAsync();
        var notify = await world.SignNotifyAsync(order.OutTradeNo, order.AmountFen);
        notify.Headers.Remove("Wechatpay-Signature");
        using var missing = await world.SendNotifyAsync(notify);
        await AssertRefusedAsync(missing, HttpStatusCode.BadRequest, "missing-header");

        using var huge = await world.SendNotifyAsync(notify, new string('x', 70_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        await AssertUnchangedAsync(world, student);
    }
}
