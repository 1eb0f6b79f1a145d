using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Payment.Domain;
using Capture.Testing;

namespace Capture.Payment.Tests;

/// <summary>Paying online through the WeChat Pay simulator over real HTTP: QR order, signed encrypted notify, order query fallback.</summary>
public sealed class OnlinePaymentTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    [Fact]
    public async Task A_student_pays_by_scanning_the_code_and_the_notify_makes_the_order_paid_with_a_voucher_and_one_event()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);

        var online = await world.StartOnlineAsync(student);
        Assert.StartsWith("weixin://wxpay/bizpayurl?pr=", online.CodeUrl);
        Assert.Equal(3000, online.AmountFen);
        var again = await world.StartOnlineAsync(student);
        Assert.Equal(online.CodeUrl, again.CodeUrl);

        await world.PayAtSimulatorAsync((await world.OrderAsync(student)).OutTradeNo);

        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal(PaymentMethods.Online, paid.Method);
        Assert.NotNull(paid.ProviderTransactionId);
        Assert.Matches("^PZ[0-9]{8}$", paid.VoucherNumber!);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
        using var client = world.Student(student);
        var mine = await client.GetFromJsonAsync<List<Apis.OrderView>>($"{Prefix}/me/orders");
        Assert.Equal(paid.VoucherNumber, Assert.Single(mine!).VoucherNumber);
    }

    [Fact]
    public async Task Notifies_sent_three_times_late_change_the_order_once_and_publish_one_event()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(1500);
        await world.StartOnlineAsync(student);
        var outTradeNo = (await world.OrderAsync(student)).OutTradeNo;

        await world.PayAtSimulatorAsync(outTradeNo, new { duplicateNotifies = 2, notifyDelayMs = 300 });

        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        using var sim = world.Simulator();
        await Eventually.TrueAsync(async () =>
        {
            var state = await sim.GetFromJsonAsync<JsonElement>($"/sim/orders/{outTradeNo}");
            return state.GetProperty("notifiesDelivered").GetInt32() == 3;
        }, what: "three delivered notifies");
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
    }

    [Fact]
    public async Task When_no_notify_comes_the_poller_asks_the_provider_and_marks_the_order_paid()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(2000);
        await world.StartOnlineAsync(student);

        await world.PayAtSimulatorAsync((await world.OrderAsync(student)).OutTradeNo, new { dropNotify = true });

        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.NotNull(paid.LastPolledAt);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
    }

    [Fact]
    public async Task A_failed_payment_leaves_the_order_pending_and_the_poller_does_not_mark_it_paid()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(2000);
        await world.StartOnlineAsync(student);

        await world.PayAtSimulatorAsync((await world.OrderAsync(student)).OutTradeNo, new { fail = true });

        await Eventually.TrueAsync(async () => (await world.OrderAsync(student)).LastPolledAt is not null, what: "a poll");
        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(student)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentSucceeded", student.RegistrationId));
    }

    [Fact]
    public async Task Another_students_order_cannot_be_started()
    {
        var world = new PaymentWorld(app);
        var mine = await world.ApproveAsync(3000);
        var theirs = await world.ApproveAsync(3000);
        using var client = world.Student(mine);
        using var response = await client.PostAsync($"{Prefix}/me/orders/{(await world.OrderAsync(theirs)).Id}/online", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null((await world.OrderAsync(theirs)).CodeUrl);
    }

    [Fact]
    public async Task With_the_provider_down_starting_a_payment_is_503_and_the_order_stays_pending_without_a_code()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var order = await world.OrderAsync(student);
        using var sim = world.Simulator();
        (await sim.PostAsJsonAsync("/sim/behaviour", new { down = true })).EnsureSuccessStatusCode();
        try
        {
            using var client = world.Student(student);
            using var response = await client.PostAsync($"{Prefix}/me/orders/{order.Id}/online", null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("cash", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            (await sim.PostAsJsonAsync("/sim/behaviour", new { })).EnsureSuccessStatusCode();
        }

        var after = await world.OrderAsync(student);
        Assert.Equal((OrderStatus.Pending, (string?)null), (after.Status, after.CodeUrl));
        Assert.StartsWith("weixin://", (await world.StartOnlineAsync(student)).CodeUrl);
    }
}
