using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Payment.Apis;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Payment.Tests;

/// <summary>
/// WeChat Pay's refund notifies (REFUND.SUCCESS / ABNORMAL / CLOSED), sent by the simulator when a refund ends after its
/// processing time, or signed on request to play the provider or an attacker: verified as payment notifies are, and
/// racing the refund query so that whichever comes first completes the refund, once.
/// </summary>
public sealed class RefundNotifyTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    /// <summary>A paid online order whose refund the school admin asked for, made while the simulator behaves as asked.</summary>
    private async Task<(PaymentWorld World, TestStudent Student, PaymentOrder Order, Refund Refund)> RefundingAsync(object behaviour)
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        await world.PayAtSimulatorAsync((await world.OrderAsync(student)).OutTradeNo);
        var order = await world.OrderWhenAsync(student, OrderStatus.Paid);
        await world.SetBehaviourAsync(behaviour);
        try
        {
            using var admin = world.Admin();
            using var response = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/refunds", new { reason = "student not captured" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            // Sent to the provider (the simulator fixes a refund's behaviour when it takes it).
            var refund = await Eventually.GetAsync(() => RefundAsync(world, order.Id), r => r.ProviderRefundId is not null || r.Status != RefundStatus.Requested, what: "the refund sent to the provider");
            return (world, student, order, refund);
        }
        finally
        {
            await world.SetBehaviourAsync(new { });
        }
    }

    private static Task<Refund> RefundAsync(PaymentWorld world, Guid orderId) =>
        world.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.OrderId == orderId));

    private static async Task<JsonElement> SimulatorRefundAsync(PaymentWorld world, string outTradeNo) =>
        Assert.Single((await world.SimulatorOrderAsync(outTradeNo)).GetProperty("refunds").EnumerateArray());

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal("FAIL", problem.GetProperty("code").GetString());
    }

    private async Task RunRefundWorkerAsync() => await app.Service.Services.GetRequiredService<RefundWorker>().RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task A_refund_still_processing_in_the_providers_answers_is_completed_by_its_notify_once()
    {
        // The refund ends after 0.8 s; the refund query keeps answering PROCESSING for a minute more: only the notify can end it.
        var (world, student, order, _) = await RefundingAsync(new { refundProcessingMs = 800, refundQueryLagMs = 60_000 });

        var refunded = await world.OrderWhenAsync(student, OrderStatus.Refunded);

        var refund = await RefundAsync(world, order.Id);
        Assert.Equal((RefundStatus.Succeeded, RefundSources.ProviderNotify, "SUCCESS"), (refund.Status, refund.CompletedVia, refund.ProviderStatus));
        Assert.NotNull(refunded.RefundedAt);
        await Eventually.TrueAsync(async () => (await SimulatorRefundAsync(world, order.OutTradeNo)).GetProperty("notifiesDelivered").GetInt32() == 1, what: "the refund notify delivered");
        var attempts = (await SimulatorRefundAsync(world, order.OutTradeNo)).GetProperty("notifyAttempts").EnumerateArray().Select(a => a.GetProperty("status").GetInt32()).ToList();
        Assert.Equal([204], attempts);
        await RunRefundWorkerAsync();
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task When_no_refund_notify_comes_the_query_completes_the_refund_and_a_late_notify_changes_nothing()
    {
        var (world, student, order, _) = await RefundingAsync(new { refundProcessingMs = 600, dropRefundNotifies = true });

        await world.OrderWhenAsync(student, OrderStatus.Refunded);
        var refund = await RefundAsync(world, order.Id);
        Assert.Equal(RefundSources.ProviderAnswer, refund.CompletedVia);

        using var late = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, refund.AmountFen));
        Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
        Assert.Equal(RefundSources.ProviderAnswer, (await RefundAsync(world, order.Id)).CompletedVia);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task The_notify_and_the_answer_arriving_together_complete_the_refund_once()
    {
        // No processing time: the refund API answers SUCCESS and the simulator sends the notify at the same moment.
        var (world, student, order, _) = await RefundingAsync(new { duplicateRefundNotifies = 2 });

        await world.OrderWhenAsync(student, OrderStatus.Refunded);
        await Eventually.TrueAsync(async () => (await SimulatorRefundAsync(world, order.OutTradeNo)).GetProperty("notifiesDelivered").GetInt32() == 3, what: "three refund notifies delivered");
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
        Assert.Contains((await RefundAsync(world, order.Id)).CompletedVia, new[] { RefundSources.ProviderAnswer, RefundSources.ProviderNotify });
    }

    [Fact]
    public async Task Twenty_refund_notifies_at_once_complete_the_refund_once_and_a_replayed_one_is_refused()
    {
        var (world, student, order, refund) = await RefundingAsync(new { refundProcessingMs = 120_000 });
        var notifies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, refund.AmountFen)));

        var responses = await Task.WhenAll(notifies.Select(n => world.SendNotifyAsync(n)).Append(world.SendNotifyAsync(notifies[0])));

        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.NoContent));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(OrderStatus.Refunded, (await world.OrderAsync(student)).Status);
        Assert.Equal(RefundSources.ProviderNotify, (await RefundAsync(world, order.Id)).CompletedVia);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task An_abnormal_refund_is_failed_with_a_reason_the_school_admin_sees_is_never_sent_again_and_completes_when_settled()
    {
        var (world, student, order, _) = await RefundingAsync(new { refundProcessingMs = 500, refundOutcome = "ABNORMAL", refundQueryLagMs = 60_000 });

        var failed = await Eventually.GetAsync(() => RefundAsync(world, order.Id), r => r.Status == RefundStatus.Failed, what: "the refund failed");
        Assert.Equal(("ABNORMAL", RefundSources.ProviderNotify), (failed.ProviderStatus, failed.CompletedVia));
        using var admin = world.Admin();
        var listed = Assert.Single((await admin.GetFromJsonAsync<List<RefundView>>($"{Prefix}/refunds?orderId={order.Id}"))!);
        Assert.Equal(("failed", "ABNORMAL"), (listed.Status, listed.ProviderStatus));
        Assert.Contains("退款异常", listed.LastError);
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", order.Id));

        // Not refunded twice: no second refund request, the worker sends nothing more, a repeated ABNORMAL changes nothing.
        using var again = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/refunds", new { reason = "again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await RunRefundWorkerAsync();
        Assert.Single((await world.SimulatorOrderAsync(order.OutTradeNo)).GetProperty("refunds").EnumerateArray());
        using (var repeated = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, failed.OutRefundNo, order.AmountFen, failed.AmountFen, "REFUND.ABNORMAL")))
        {
            Assert.Equal(HttpStatusCode.NoContent, repeated.StatusCode);
        }

        // Settled on the merchant platform (退款异常处理): WeChat Pay then says SUCCESS, and that is the last word.
        using var settled = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, failed.OutRefundNo, order.AmountFen, failed.AmountFen));
        Assert.Equal(HttpStatusCode.NoContent, settled.StatusCode);
        Assert.Equal(OrderStatus.Refunded, (await world.OrderAsync(student)).Status);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
        using var afterDone = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, failed.OutRefundNo, order.AmountFen, failed.AmountFen, "REFUND.CLOSED"));
        await AssertRefusedAsync(afterDone, HttpStatusCode.Conflict, "refund-done");
        Assert.Equal(RefundStatus.Succeeded, (await RefundAsync(world, order.Id)).Status);
    }

    [Fact]
    public async Task A_closed_refund_answered_by_the_query_is_failed_with_the_reason()
    {
        var (world, student, order, _) = await RefundingAsync(new { refundProcessingMs = 300, refundOutcome = "CLOSED", dropRefundNotifies = true });

        var failed = await Eventually.GetAsync(() => RefundAsync(world, order.Id), r => r.Status == RefundStatus.Failed, what: "the refund failed");

        Assert.Equal(("CLOSED", RefundSources.ProviderAnswer), (failed.ProviderStatus, failed.CompletedVia));
        Assert.Contains("退款关闭", failed.LastError);
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task Forged_stale_replayed_mismatched_and_unknown_refund_notifies_are_refused_and_change_nothing()
    {
        var (world, student, order, refund) = await RefundingAsync(new { refundProcessingMs = 120_000 });
        var genuine = await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, refund.AmountFen);

        using (var tampered = await world.SendNotifyAsync(genuine, genuine.Body.Replace("encrypt-resource", "encrypt-resourcf")))
        {
            await AssertRefusedAsync(tampered, HttpStatusCode.Unauthorized, "bad-signature");
        }

        var old = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();
        using (var stale = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, refund.AmountFen, timestamp: old)))
        {
            await AssertRefusedAsync(stale, HttpStatusCode.BadRequest, "stale");
        }

        using (var wrongAmount = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, 1)))
        {
            await AssertRefusedAsync(wrongAmount, HttpStatusCode.BadRequest, "mismatch");
        }

        using (var wrongTotal = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, 999_999, refund.AmountFen)))
        {
            await AssertRefusedAsync(wrongTotal, HttpStatusCode.BadRequest, "mismatch");
        }

        using (var otherOrder = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(PaymentOrder.NewOutTradeNo(), refund.OutRefundNo, order.AmountFen, refund.AmountFen)))
        {
            await AssertRefusedAsync(otherOrder, HttpStatusCode.BadRequest, "mismatch");
        }

        using (var unknown = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, "RF" + Guid.NewGuid().ToString("N")[..30], order.AmountFen, refund.AmountFen)))
        {
            await AssertRefusedAsync(unknown, HttpStatusCode.NotFound, "unknown-refund");
        }

        using (var contradictory = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, refund.AmountFen, refundStatus: "CLOSED")))
        {
            await AssertRefusedAsync(contradictory, HttpStatusCode.BadRequest, "bad-resource");
        }

        var nonce = "NONCE" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        using (var first = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, "RF" + Guid.NewGuid().ToString("N")[..30], order.AmountFen, 1, nonce: nonce)))
        {
            Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        }

        using (var replay = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, refund.AmountFen, nonce: nonce)))
        {
            await AssertRefusedAsync(replay, HttpStatusCode.Conflict, "replay");
        }

        var unchanged = await RefundAsync(world, order.Id);
        Assert.Equal(RefundStatus.Requested, unchanged.Status);
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", order.Id));

        // The genuine one, never sent before, is still good: the refusals were about what they changed.
        using var accepted = await world.SendNotifyAsync(genuine);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task A_refund_notify_naming_a_cash_refund_is_refused()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        using (var staff = world.Staff("law"))
        {
            (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { student.StudentNumber } })).EnsureSuccessStatusCode();
        }

        var order = await world.OrderAsync(student);
        using (var admin = world.Admin())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/refunds", new { reason = "not captured" })).StatusCode);
        }

        var refund = await RefundAsync(world, order.Id);
        using var response = await world.SendNotifyAsync(await world.SignRefundNotifyAsync(order.OutTradeNo, refund.OutRefundNo, order.AmountFen, refund.AmountFen));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "mismatch");
        Assert.Equal(RefundStatus.Requested, (await RefundAsync(world, order.Id)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", order.Id));
    }
}
