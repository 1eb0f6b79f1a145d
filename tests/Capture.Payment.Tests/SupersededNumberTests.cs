using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.Payment.Apis;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Payment.Tests;

/// <summary>The Payment service with the superseded-order closer left to the tests (it runs when a test says), so an old QR code can be paid before it is closed.</summary>
public sealed class ManualCloserPaymentApp() : PaymentApp(new Dictionary<string, string?> { ["Payment:SupersededInterval"] = "01:00:00" });

/// <summary>
/// A QR code shown before the fee changed (CampaignFeeChanged, fee items, a later approval) and paid afterwards, through the
/// simulator over HTTP: the order is paid once at the price paid, or the second payment is refunded once; the closer
/// closes the old provider order, takes a payment it finds (ORDERPAID), backs off and gives up; reconciliation matches
/// the old number to its order.
/// </summary>
public sealed class SupersededNumberTests(ManualCloserPaymentApp app) : IClassFixture<ManualCloserPaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    private static DateOnly Today => ShanghaiTime.Today(DateTimeOffset.UtcNow);

    private Task<int> RunCloserAsync() => app.Service.Services.GetRequiredService<SupersededOrderCloser>().RunOnceAsync(CancellationToken.None);

    private HttpClient Ops() => app.Service.CreateClient(TestTokens.For(CaptureRoles.Ops, school: null));

    /// <summary>A student shown the QR code at <paramref name="fee"/>, then the campaign's fee changed to <paramref name="newFee"/>: the old number.</summary>
    private async Task<(PaymentWorld World, TestStudent Student, string OldNumber)> ShownThenRepricedAsync(long fee = 3000, long newFee = 2500)
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(fee, at: DateTimeOffset.UtcNow.AddSeconds(-5));
        await world.StartOnlineAsync(student);
        var old = (await world.OrderAsync(student)).OutTradeNo;
        await app.Bus.Publish(new CampaignFeeChanged(world.CampaignId, world.School, newFee, DateTimeOffset.UtcNow));
        await Eventually.GetAsync(() => world.OrderAsync(student), o => o.AmountFen == newFee, what: "the re-priced order");
        return (world, student, old);
    }

    private static async Task<StatementReport> ImportTodaysBillAsync(HttpClient ops)
    {
        using var response = await ops.PostAsync($"{Prefix}/reconciliation/statements/{Today:yyyy-MM-dd}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<StatementReport>())!;
    }

    [Fact]
    public async Task An_old_QR_code_paid_after_the_fee_changed_pays_the_order_once_at_the_price_paid_and_reconciliation_lists_it()
    {
        var (world, student, old) = await ShownThenRepricedAsync(3000, 2500);
        var remembered = await world.SupersededAsync(old);
        Assert.NotNull(remembered);
        Assert.Equal((3000L, PaymentChannels.Native, SupersededState.Open), (remembered.AmountFen, remembered.Channel, remembered.State));
        Assert.NotEqual(old, (await world.OrderAsync(student)).OutTradeNo);

        await world.PayAtSimulatorAsync(old, new { duplicateNotifies = 2 });

        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal((3000L, (long?)2500, old, PaymentMethods.Online), (paid.AmountFen, paid.RepricedFeeFen, paid.OutTradeNo, paid.Method));
        Assert.Matches("^PZ[0-9]{8}$", paid.VoucherNumber!);
        await Eventually.TrueAsync(async () => (await world.SimulatorOrderAsync(old)).GetProperty("notifiesDelivered").GetInt32() == 3, what: "three delivered notifies");
        var succeeded = Assert.Single(await world.EventBodiesAsync("PaymentSucceeded", paid.Id));
        Assert.Equal(3000, JsonDocument.Parse(succeeded).RootElement.GetProperty("amountFen").GetInt64());
        Assert.Equal(SupersededState.PaidOrder, (await world.SupersededAsync(old))!.State);
        Assert.Equal(0, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == paid.Id)));
        using (var client = world.Student(student))
        {
            var mine = Assert.Single((await client.GetFromJsonAsync<List<OrderView>>($"{Prefix}/me/orders"))!);
            Assert.Equal((3000L, (long?)2500, "paid"), (mine.AmountFen, mine.RepricedFeeFen, mine.Status));
        }

        using var ops = Ops();
        var report = await ImportTodaysBillAsync(ops);
        var listed = Assert.Single(report.Mismatches, m => m.OutTradeNo == old);
        Assert.Equal((Reconciliation.PaidOldPrice, paid.Id, (long?)2500, (long?)3000), (listed.Kind, listed.OrderId, listed.OursFen, listed.TheirsFen));
        Assert.DoesNotContain(report.Mismatches, m => m.Kind == Reconciliation.UnknownOrder);
    }

    [Fact]
    public async Task An_old_QR_code_paid_after_the_new_one_was_paid_is_refunded_automatically_once_and_the_order_keeps_its_payment()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        var old = (await world.OrderAsync(student)).OutTradeNo;
        using var admin = world.Admin();
        using (var items = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "网上采集", amountFen = 1000 }, new { name = "拍照", amountFen = 1000 } } }))
        {
            Assert.True(items.IsSuccessStatusCode, await items.Content.ReadAsStringAsync());
            Assert.Equal(1, (await items.Content.ReadFromJsonAsync<FeeItemsView>())!.Repriced);
        }

        Assert.Equal((3000L, SupersededState.Open), ((await world.SupersededAsync(old))!.AmountFen, (await world.SupersededAsync(old))!.State));
        await world.StartOnlineAsync(student);
        var current = await world.OrderAsync(student);
        Assert.Equal(2000, current.AmountFen);
        await world.PayAtSimulatorAsync(current.OutTradeNo);
        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);

        await world.PayAtSimulatorAsync(old, new { duplicateNotifies = 2 });

        var refund = await Eventually.GetAsync(
            () => world.QueryAsync(db => db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.OrderId == paid.Id)),
            r => r?.Status == RefundStatus.Succeeded, what: "the second payment refunded");
        Assert.Equal((old, 3000L, PaymentMethods.Online), (refund!.SupersededOutTradeNo, refund.AmountFen, refund.Method));
        await Eventually.TrueAsync(async () => (await world.SimulatorOrderAsync(old)).GetProperty("notifiesDelivered").GetInt32() == 3, what: "three delivered notifies");
        await app.Service.Services.GetRequiredService<RefundWorker>().RunOnceAsync(CancellationToken.None);
        await RunCloserAsync();

        var atProvider = await world.SimulatorOrderAsync(old);
        var providerRefund = Assert.Single(atProvider.GetProperty("refunds").EnumerateArray());
        Assert.Equal(3000, providerRefund.GetProperty("amountFen").GetInt64());
        Assert.Empty((await world.SimulatorOrderAsync(current.OutTradeNo)).GetProperty("refunds").EnumerateArray());
        var after = await world.OrderAsync(student);
        Assert.Equal((OrderStatus.Paid, 2000L, current.OutTradeNo, (long?)null), (after.Status, after.AmountFen, after.OutTradeNo, after.RepricedFeeFen));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", paid.Id));
        Assert.Equal(SupersededState.SecondPayment, (await world.SupersededAsync(old))!.State);

        var listed = Assert.Single((await admin.GetFromJsonAsync<List<RefundView>>($"{Prefix}/refunds?campaignId={world.CampaignId}&secondPayment=true"))!);
        Assert.Equal((true, old, "succeeded", student.StudentNumber), (listed.SecondPayment, listed.SupersededOutTradeNo, listed.Status, listed.StudentNumber));
        Assert.Empty((await admin.GetFromJsonAsync<List<RefundView>>($"{Prefix}/refunds?campaignId={world.CampaignId}&secondPayment=false"))!);

        // The order's own refund is still possible (one), and goes against the number it was paid under.
        using (var own = await admin.PostAsJsonAsync($"{Prefix}/orders/{paid.Id}/refunds", new { reason = "withdrawn" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        }

        await world.OrderWhenAsync(student, OrderStatus.Refunded);
        Assert.Equal(2000, Assert.Single((await world.SimulatorOrderAsync(current.OutTradeNo)).GetProperty("refunds").EnumerateArray()).GetProperty("amountFen").GetInt64());
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", paid.Id));

        using var ops = Ops();
        var report = await ImportTodaysBillAsync(ops);
        var second = Assert.Single(report.Mismatches, m => m.OutTradeNo == old);
        Assert.Equal((Reconciliation.SecondPayment, paid.Id, (long?)3000), (second.Kind, second.OrderId, second.TheirsFen));
        Assert.DoesNotContain(report.Mismatches, m => m.OutTradeNo == current.OutTradeNo);
        Assert.DoesNotContain(report.Mismatches, m => m.Kind is Reconciliation.UnknownOrder or Reconciliation.RefundDiffers);

        // The daily report counts the order's payment and its refund, not the second payment's refund.
        var rows = (await admin.GetFromJsonAsync<List<DailyRow>>($"{Prefix}/reconciliation/daily?campaignId={world.CampaignId}"))!;
        Assert.Equal((2000L, 2000L), (rows.Sum(r => r.ExpectedFen), rows.Sum(r => r.RefundedFen)));
    }

    [Fact]
    public async Task Duplicate_and_concurrent_notifies_for_a_superseded_number_change_the_order_once_and_the_new_price_is_refused()
    {
        var (world, student, old) = await ShownThenRepricedAsync(3000, 2500);

        using (var newPrice = await world.SendNotifyAsync(await world.SignNotifyAsync(old, 2500)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, newPrice.StatusCode);
            Assert.Contains("mismatch", await newPrice.Content.ReadAsStringAsync());
        }

        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(student)).Status);
        var notifies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => world.SignNotifyAsync(old, 3000)));
        var closer = RunCloserAsync();
        var responses = await Task.WhenAll(notifies.Select(n => world.SendNotifyAsync(n)));
        await closer;

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal((3000L, (long?)2500), (paid.AmountFen, paid.RepricedFeeFen));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
        Assert.Equal(0, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == paid.Id)));
        var taken = (await world.SupersededAsync(old))!;
        Assert.Equal((SupersededState.PaidOrder, (long?)3000), (taken.State, taken.PaidFen));
        Assert.Equal(paid.ProviderTransactionId, taken.TransactionId);
    }

    [Fact]
    public async Task The_closer_closes_the_old_provider_order_and_a_close_answered_ORDERPAID_is_taken_as_the_payment()
    {
        var (world, unpaidStudent, unpaidOld) = await ShownThenRepricedAsync(3000, 2500);
        var paidStudent = await world.ApproveAsync(3000, at: DateTimeOffset.UtcNow.AddSeconds(-5));
        await world.StartOnlineAsync(paidStudent);
        var paidOld = (await world.OrderAsync(paidStudent)).OutTradeNo;
        await app.Bus.Publish(new CampaignFeeChanged(world.CampaignId, world.School, 2000, DateTimeOffset.UtcNow));
        await Eventually.GetAsync(() => world.OrderAsync(paidStudent), o => o.AmountFen == 2000, what: "the second re-pricing");
        // Paid without a notify: only the close (refused ORDERPAID, then the query) can tell.
        await world.PayAtSimulatorAsync(paidOld, new { dropNotify = true });

        Assert.True(await RunCloserAsync() >= 2);

        Assert.Equal(SupersededState.Closed, (await world.SupersededAsync(unpaidOld))!.State);
        Assert.Equal("CLOSED", (await world.SimulatorOrderAsync(unpaidOld)).GetProperty("state").GetString());
        using (var sim = world.Simulator())
        {
            using var scan = await sim.PostAsJsonAsync($"/sim/orders/{unpaidOld}/pay", new { });
            Assert.Equal(HttpStatusCode.Conflict, scan.StatusCode);
        }

        var stillPending = await world.OrderAsync(unpaidStudent);
        Assert.Equal((OrderStatus.Pending, 2000L), (stillPending.Status, stillPending.AmountFen)); // re-priced twice, nothing paid
        var paid = await world.OrderWhenAsync(paidStudent, OrderStatus.Paid);
        Assert.Equal((3000L, (long?)2000, paidOld), (paid.AmountFen, paid.RepricedFeeFen, paid.OutTradeNo));
        Assert.Equal(SupersededState.PaidOrder, (await world.SupersededAsync(paidOld))!.State);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
        await RunCloserAsync();
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
    }

    [Fact]
    public async Task An_old_QR_code_paid_after_cash_is_found_by_the_closer_and_refunded_as_a_second_payment()
    {
        var (world, student, old) = await ShownThenRepricedAsync(3000, 2500);
        using (var staff = world.Staff(student.CollegeCode))
        {
            using var cash = await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { student.StudentNumber } });
            Assert.True(cash.IsSuccessStatusCode, await cash.Content.ReadAsStringAsync());
        }

        await world.PayAtSimulatorAsync(old, new { dropNotify = true });
        await RunCloserAsync();

        var refund = await Eventually.GetAsync(
            () => world.QueryAsync(db => db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.SupersededOutTradeNo == old)),
            r => r?.Status == RefundStatus.Succeeded, what: "the second payment refunded");
        Assert.Equal(3000, refund!.AmountFen);
        var order = await world.OrderAsync(student);
        Assert.Equal((OrderStatus.Paid, PaymentMethods.Cash, 2500L), (order.Status, order.Method, order.AmountFen));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task When_the_old_code_pays_the_order_first_the_new_code_shown_meanwhile_is_remembered_and_its_payment_refunded()
    {
        var (world, student, old) = await ShownThenRepricedAsync(3000, 2500);
        await world.StartOnlineAsync(student);
        var current = (await world.OrderAsync(student)).OutTradeNo;

        await world.PayAtSimulatorAsync(old);
        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal((3000L, old), (paid.AmountFen, paid.OutTradeNo));
        Assert.Equal((2500L, SupersededState.Open), ((await world.SupersededAsync(current))!.AmountFen, (await world.SupersededAsync(current))!.State));

        await world.PayAtSimulatorAsync(current);

        var refund = await Eventually.GetAsync(
            () => world.QueryAsync(db => db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.SupersededOutTradeNo == current)),
            r => r?.Status == RefundStatus.Succeeded, what: "the new code's payment refunded");
        Assert.Equal(2500, refund!.AmountFen);
        Assert.Equal((OrderStatus.Paid, 3000L, old), ((await world.OrderAsync(student)).Status, (await world.OrderAsync(student)).AmountFen, (await world.OrderAsync(student)).OutTradeNo));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
        Assert.Empty((await world.SimulatorOrderAsync(old)).GetProperty("refunds").EnumerateArray());
    }

    [Fact]
    public async Task A_code_shown_before_a_cash_payment_is_closed_and_a_payment_under_it_is_refunded()
    {
        var world = new PaymentWorld(app);
        var closed = await world.ApproveAsync(3000);
        var scanned = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(closed);
        await world.StartOnlineAsync(scanned);
        using (var staff = world.Staff(closed.CollegeCode))
        {
            using var cash = await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { closed.StudentNumber, scanned.StudentNumber } });
            Assert.True(cash.IsSuccessStatusCode, await cash.Content.ReadAsStringAsync());
        }

        var closedNumber = (await world.OrderAsync(closed)).OutTradeNo;
        var scannedNumber = (await world.OrderAsync(scanned)).OutTradeNo;
        Assert.Equal(SupersededState.Open, (await world.SupersededAsync(closedNumber))!.State);

        await world.PayAtSimulatorAsync(scannedNumber);
        var refund = await Eventually.GetAsync(
            () => world.QueryAsync(db => db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.SupersededOutTradeNo == scannedNumber)),
            r => r?.Status == RefundStatus.Succeeded, what: "the payment after cash refunded");
        Assert.Equal(3000, refund!.AmountFen);
        var order = await world.OrderAsync(scanned);
        Assert.Equal((OrderStatus.Paid, PaymentMethods.Cash), (order.Status, order.Method));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));

        await RunCloserAsync();
        Assert.Equal(SupersededState.Closed, (await world.SupersededAsync(closedNumber))!.State);
        Assert.Equal("CLOSED", (await world.SimulatorOrderAsync(closedNumber)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_close_that_keeps_failing_backs_off_and_is_given_up_past_the_lifetime_when_the_provider_says_unpaid()
    {
        var (world, _, old) = await ShownThenRepricedAsync(3000, 2500);
        await world.SetBehaviourAsync(new { failCloses = true });
        try
        {
            var before = DateTimeOffset.UtcNow;
            await RunCloserAsync();
            var backedOff = (await world.SupersededAsync(old))!;
            Assert.Equal((SupersededState.Open, 1), (backedOff.State, backedOff.Attempts));
            Assert.Contains("SYSTEM_ERROR", backedOff.LastError);
            Assert.True(backedOff.NextAttemptAt >= before + SupersededRules.FirstBackOff - TimeSpan.FromSeconds(1), $"next attempt {backedOff.NextAttemptAt:O}");

            await RunCloserAsync();
            Assert.Equal(1, (await world.SupersededAsync(old))!.Attempts); // not due yet

            // The provider order's lifetime is over (as if two hours had passed) and the retry is due.
            await world.QueryAsync(db => db.SupersededTradeNumbers.Where(n => n.OutTradeNo == old).ExecuteUpdateAsync(
                set => set.SetProperty(n => n.ExpiresAt, DateTimeOffset.UtcNow.AddHours(-1)).SetProperty(n => n.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
            await RunCloserAsync();
        }
        finally
        {
            await world.SetBehaviourAsync(new { });
        }

        var expired = (await world.SupersededAsync(old))!;
        Assert.Equal((SupersededState.Expired, 2), (expired.State, expired.Attempts));
        Assert.Contains("NOTPAY", expired.LastError);
    }

    [Fact]
    public async Task A_bill_line_for_a_superseded_number_not_taken_yet_is_matched_to_its_order_not_unknown()
    {
        var (world, student, old) = await ShownThenRepricedAsync(3000, 2500);
        var order = await world.OrderAsync(student);
        string Row(string outTradeNo, string yuan) => string.Join(',', new[] { "2026-01-01 10:00:00", "wxsim", "1900000000", "0", "", "4200000001", outTradeNo, "oSIM", "NATIVE", "SUCCESS", "OTHERS", "CNY", yuan, "0.00", "0", "0", "0.00", "0.00", "", "", "fee", "", "0.00", "0.60%", yuan, "0.00", "" }.Select(f => "`" + f));
        var bill = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n"
            + Row(old, "30.00") + "\r\n"
            + "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n`1,`30.00,`0.00,`0.00,`0.00,`30.00,`0.00\r\n";

        using var ops = Ops();
        using var response = await ops.PostAsync($"{Prefix}/reconciliation/statements/2026-01-01", new StringContent(bill, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<StatementReport>())!;

        var line = Assert.Single(report.Mismatches);
        Assert.Equal((Reconciliation.NotPaidHere, order.Id, (long?)3000, (long?)3000), (line.Kind, line.OrderId, line.OursFen, line.TheirsFen));
    }

    [Fact]
    public async Task A_later_approval_with_another_fee_remembers_the_old_number_and_an_unshown_order_remembers_nothing()
    {
        var world = new PaymentWorld(app);
        var approvedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var shown = await world.ApproveAsync(3000, at: approvedAt);
        var unshown = await world.ApproveAsync(3000, at: approvedAt);
        await world.StartOnlineAsync(shown);
        var shownOld = (await world.OrderAsync(shown)).OutTradeNo;
        var unshownOld = (await world.OrderAsync(unshown)).OutTradeNo;

        await world.PublishApprovalAsync(shown, 1800, approvedAt.AddSeconds(30));
        await world.PublishApprovalAsync(unshown, 1800, approvedAt.AddSeconds(30));

        await Eventually.GetAsync(() => world.OrderAsync(shown), o => o.AmountFen == 1800, what: "the re-approved order");
        await Eventually.GetAsync(() => world.OrderAsync(unshown), o => o.AmountFen == 1800, what: "the other re-approved order");
        Assert.Equal(3000, (await world.SupersededAsync(shownOld))!.AmountFen);
        Assert.Null(await world.SupersededAsync(unshownOld));

        await world.PayAtSimulatorAsync(shownOld);
        var paid = await world.OrderWhenAsync(shown, OrderStatus.Paid);
        Assert.Equal((3000L, (long?)1800), (paid.AmountFen, paid.RepricedFeeFen));
    }

    [Fact]
    public async Task Switching_from_the_QR_code_to_WeChat_remembers_the_closed_number_and_the_closer_closes_it_again()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        var qrNumber = (await world.OrderAsync(student)).OutTradeNo;

        await world.StartJsapiAsync(student, "o" + Guid.NewGuid().ToString("N")[..20]);

        var remembered = (await world.SupersededAsync(qrNumber))!;
        Assert.Equal((PaymentChannels.Native, 3000L, SupersededState.Open), (remembered.Channel, remembered.AmountFen, remembered.State));

        // Two instances at once: one claims the number, the other leaves it.
        await Task.WhenAll(RunCloserAsync(), RunCloserAsync());

        var closed = (await world.SupersededAsync(qrNumber))!;
        Assert.Equal((SupersededState.Closed, 1), (closed.State, closed.Attempts));
        Assert.Equal("CLOSED", (await world.SimulatorOrderAsync(qrNumber)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Waiving_an_order_whose_code_was_shown_closes_the_code_and_a_payment_under_it_is_refunded()
    {
        var world = new PaymentWorld(app);
        var closed = await world.ApproveAsync(3000);
        var scanned = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(closed);
        await world.StartOnlineAsync(scanned);
        var closedNumber = (await world.OrderAsync(closed)).OutTradeNo;
        var scannedNumber = (await world.OrderAsync(scanned)).OutTradeNo;
        using (var admin = world.Admin())
        {
            foreach (var s in new[] { closed, scanned })
            {
                using var waived = await admin.PostAsJsonAsync($"{Prefix}/orders/{(await world.OrderAsync(s)).Id}/waive", new { reason = "hardship (困难补助)" });
                Assert.True(waived.IsSuccessStatusCode, await waived.Content.ReadAsStringAsync());
            }
        }

        var order = await world.OrderAsync(closed);
        Assert.Equal(OrderStatus.Waived, order.Status);
        Assert.NotEqual(closedNumber, order.OutTradeNo);
        Assert.Null(order.CodeUrl);
        Assert.Equal((3000L, SupersededState.Open), ((await world.SupersededAsync(closedNumber))!.AmountFen, (await world.SupersededAsync(closedNumber))!.State));

        // The student scans the code they were shown before the waiver: the money comes back once, the order stays waived.
        await world.PayAtSimulatorAsync(scannedNumber);
        var refund = await Eventually.GetAsync(
            () => world.QueryAsync(db => db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.SupersededOutTradeNo == scannedNumber)),
            r => r?.Status == RefundStatus.Succeeded, what: "the payment after the waiver refunded");
        Assert.Equal(3000, refund!.AmountFen);
        Assert.Equal(OrderStatus.Waived, (await world.OrderAsync(scanned)).Status);

        await RunCloserAsync();
        Assert.Equal(SupersededState.Closed, (await world.SupersededAsync(closedNumber))!.State);
        Assert.Equal("CLOSED", (await world.SimulatorOrderAsync(closedNumber)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_withdrawal_closes_the_code_shown_and_an_approval_after_it_pays_under_a_new_code()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000, at: DateTimeOffset.UtcNow.AddMinutes(-2));
        await world.StartOnlineAsync(student);
        var shown = (await world.OrderAsync(student)).OutTradeNo;
        await app.Bus.Publish(new RegistrationWithdrawn(student.RegistrationId, world.CampaignId, student.CollegeCode, "withdrawn", DateTimeOffset.UtcNow.AddMinutes(-1)));
        var cancelled = await world.OrderWhenAsync(student, OrderStatus.Cancelled);
        Assert.NotEqual(shown, cancelled.OutTradeNo);
        await RunCloserAsync();
        Assert.Equal("CLOSED", (await world.SimulatorOrderAsync(shown)).GetProperty("state").GetString());

        await world.PublishApprovalAsync(student, 3000, DateTimeOffset.UtcNow);
        var again = await world.OrderWhenAsync(student, OrderStatus.Pending);
        Assert.NotEqual(shown, again.OutTradeNo);
        await world.StartOnlineAsync(student);
        await world.PayAtSimulatorAsync((await world.OrderAsync(student)).OutTradeNo);
        var paid = await world.OrderWhenAsync(student, OrderStatus.Paid);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
        Assert.Equal(0, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == paid.Id)));
    }
}

/// <summary>The closer as it runs in the service, every <c>Payment:SupersededInterval</c>, with nobody asking.</summary>
public sealed class SupersededCloserBackgroundTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    [Fact]
    public async Task After_a_fee_change_the_background_closer_closes_the_QR_code_shown_before_and_the_provider_refuses_to_take_payment()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000, at: DateTimeOffset.UtcNow.AddSeconds(-5));
        await world.StartOnlineAsync(student);
        var old = (await world.OrderAsync(student)).OutTradeNo;

        await app.Bus.Publish(new CampaignFeeChanged(world.CampaignId, world.School, 2500, DateTimeOffset.UtcNow));

        await Eventually.TrueAsync(async () => (await world.SupersededAsync(old))?.State == SupersededState.Closed, what: "the old provider order closed");
        Assert.Equal("CLOSED", (await world.SimulatorOrderAsync(old)).GetProperty("state").GetString());
        using var sim = world.Simulator();
        using var scan = await sim.PostAsJsonAsync($"/sim/orders/{old}/pay", new { });
        Assert.Equal(HttpStatusCode.Conflict, scan.StatusCode);
        var order = await world.OrderAsync(student);
        Assert.Equal((OrderStatus.Pending, 2500L), (order.Status, order.AmountFen));
        Assert.Equal(0, await world.EventsAsync("PaymentSucceeded", order.Id));
    }
}
