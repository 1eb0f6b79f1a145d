using System.Net;
using System.Net.Http.Json;
using System.Text;
using Capture.Payment.Apis;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;

namespace Capture.Payment.Tests;

/// <summary>Reconciliation against the simulator's trade bill (in WeChat Pay's bill format) and an uploaded bill.</summary>
public sealed class ReconciliationTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    private HttpClient Ops() => app.Service.CreateClient(TestTokens.For(CaptureRoles.Ops, school: null));

    private static DateOnly Today => ShanghaiTime.Today(DateTimeOffset.UtcNow);

    private async Task<(TestStudent Student, PaymentOrder Order)> PaidOnlineAsync(PaymentWorld world, long fee = 3000)
    {
        var student = await world.ApproveAsync(fee);
        await world.StartOnlineAsync(student);
        await world.PayAtSimulatorAsync((await world.OrderAsync(student)).OutTradeNo);
        return (student, await world.OrderWhenAsync(student, OrderStatus.Paid));
    }

    [Fact]
    public async Task The_providers_bill_of_today_matches_the_books_including_a_refund()
    {
        var world = new PaymentWorld(app);
        var (_, first) = await PaidOnlineAsync(world);
        var (second, secondOrder) = await PaidOnlineAsync(world, 1500);
        using (var admin = world.Admin())
        {
            (await admin.PostAsJsonAsync($"{Prefix}/orders/{secondOrder.Id}/refunds", new { reason = "test" })).EnsureSuccessStatusCode();
        }

        await world.OrderWhenAsync(second, OrderStatus.Refunded);
        using var ops = Ops();
        using var response = await ops.PostAsync($"{Prefix}/reconciliation/statements/{Today:yyyy-MM-dd}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<StatementReport>())!;

        Assert.Empty(report.Mismatches);
        Assert.True(report.BillLines >= 3, $"two payments and a refund at least, got {report.BillLines}");
        Assert.True(report.PaidOnlineHere >= 2);
        Assert.NotEqual(first.Id, secondOrder.Id);
    }

    [Fact]
    public async Task An_uploaded_bill_lists_a_missing_payment_an_unknown_order_and_a_differing_amount()
    {
        var world = new PaymentWorld(app);
        var (_, kept) = await PaidOnlineAsync(world);
        var (_, differs) = await PaidOnlineAsync(world);
        var (_, missing) = await PaidOnlineAsync(world);
        var unknown = Guid.NewGuid().ToString("N");
        string Row(string outTradeNo, string yuan) => string.Join(',', new[] { "2026-01-01 10:00:00", "wxsim", "1900000000", "0", "", "4200000001", outTradeNo, "oSIM", "NATIVE", "SUCCESS", "OTHERS", "CNY", yuan, "0.00", "0", "0", "0.00", "0.00", "", "", "fee", "", "0.00", "0.60%", yuan, "0.00", "" }.Select(f => "`" + f));
        var bill = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n"
            + Row(kept.OutTradeNo, "30.00") + "\r\n" + Row(differs.OutTradeNo, "3.00") + "\r\n" + Row(unknown, "30.00") + "\r\n"
            + "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n`3,`63.00,`0.00,`0.00,`0.00,`63.00,`0.00\r\n";

        using var ops = Ops();
        using var response = await ops.PostAsync($"{Prefix}/reconciliation/statements/{Today:yyyy-MM-dd}", new StringContent(bill, Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<StatementReport>())!;

        Assert.Contains(report.Mismatches, m => m.Kind == Reconciliation.MissingAtProvider && m.OrderId == missing.Id);
        Assert.Contains(report.Mismatches, m => m.Kind == Reconciliation.UnknownOrder && m.OutTradeNo == unknown && m.TheirsFen == 3000);
        Assert.Contains(report.Mismatches, m => m.Kind == Reconciliation.AmountDiffers && m.OrderId == differs.Id && m.OursFen == 3000 && m.TheirsFen == 300);
        Assert.DoesNotContain(report.Mismatches, m => m.OrderId == kept.Id);

        using var garbage = await ops.PostAsync($"{Prefix}/reconciliation/statements/{Today:yyyy-MM-dd}", new StringContent("not a bill", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        using var badDate = await ops.PostAsync($"{Prefix}/reconciliation/statements/2026-13-01", null);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
    }

    [Fact]
    public async Task The_daily_report_gives_expected_received_and_refunded_per_method_and_college()
    {
        var world = new PaymentWorld(app);
        var cash = await world.ApproveAsync(3000, "med");
        using (var staff = world.Staff("med"))
        {
            (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { cash.StudentNumber } })).EnsureSuccessStatusCode();
        }

        var (_, online) = await PaidOnlineAsync(world, 2000);
        using var admin = world.Admin();
        var rows = (await admin.GetFromJsonAsync<List<DailyRow>>($"{Prefix}/reconciliation/daily?campaignId={world.CampaignId}"))!;

        var cashRow = Assert.Single(rows, r => r.Method == PaymentMethods.Cash);
        Assert.Equal(("med", 1, 3000L, 0L), (cashRow.CollegeCode, cashRow.Payments, cashRow.ExpectedFen, cashRow.ReceivedFen));
        var onlineRow = Assert.Single(rows, r => r.Method == PaymentMethods.Online);
        Assert.Equal((1, 2000L), (onlineRow.Payments, onlineRow.ExpectedFen));
        Assert.Equal(online.PaidAt is { } p ? ShanghaiTime.Today(p) : default, onlineRow.Day);

        using var otherSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "55555"));
        Assert.Empty((await otherSchool.GetFromJsonAsync<List<DailyRow>>($"{Prefix}/reconciliation/daily?campaignId={world.CampaignId}"))!);
    }

    [Fact]
    public async Task The_daily_report_breaks_each_row_down_by_fee_item_and_the_csv_ends_with_a_total()
    {
        var world = new PaymentWorld(app);
        using var admin = world.Admin();
        using (var items = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "网上采集", amountFen = 1500 }, new { name = "拍照", amountFen = 1500 } } }))
        {
            Assert.True(items.IsSuccessStatusCode, await items.Content.ReadAsStringAsync());
        }

        var cash = await world.ApproveAsync(3000, "med");
        var cash2 = await world.ApproveAsync(3000, "med");
        using (var staff = world.Staff("med"))
        {
            (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { cash.StudentNumber, cash2.StudentNumber } })).EnsureSuccessStatusCode();
        }

        var (refundedStudent, online) = await PaidOnlineAsync(world, 3000);
        (await admin.PostAsJsonAsync($"{Prefix}/orders/{online.Id}/refunds", new { reason = "withdrawn" })).EnsureSuccessStatusCode();
        await world.OrderWhenAsync(refundedStudent, OrderStatus.Refunded);

        var rows = (await admin.GetFromJsonAsync<List<DailyRow>>($"{Prefix}/reconciliation/daily?campaignId={world.CampaignId}"))!;

        var cashRow = Assert.Single(rows, r => r.Method == PaymentMethods.Cash);
        Assert.Equal(6000, cashRow.ExpectedFen);
        Assert.Equal([new DailyItem("网上采集", 3000, 0), new DailyItem("拍照", 3000, 0)], cashRow.Items);
        var onlineRows = rows.Where(r => r.Method == PaymentMethods.Online).ToList();
        Assert.Equal(3000, onlineRows.Sum(r => r.RefundedFen));
        Assert.Equal(1500, onlineRows.SelectMany(r => r.Items).Where(i => i.Name == "拍照").Sum(i => i.RefundedFen));
        Assert.All(rows, r => Assert.Equal(r.ExpectedFen, r.Items.Sum(i => i.ExpectedFen)));
        Assert.All(rows, r => Assert.Equal(r.RefundedFen, r.Items.Sum(i => i.RefundedFen)));

        var csv = Encoding.UTF8.GetString((await admin.GetByteArrayAsync($"{Prefix}/reconciliation/daily?campaignId={world.CampaignId}&format=csv"))[3..]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("日期,方式,学院,笔数,应收(元),实收(元),退款(元),网上采集应收(元),网上采集退款(元),拍照应收(元),拍照退款(元)", lines[0]);
        Assert.Contains(lines, l => l.Contains(",cash,med,2,60.00,0.00,0.00,30.00,0.00,30.00,0.00", StringComparison.Ordinal));
        Assert.Equal("合计,,,3,90.00,0.00,30.00,45.00,15.00,45.00,15.00", lines[^1]);
    }
}
