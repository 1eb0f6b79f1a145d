using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Payment.Apis;
using Capture.Payment.Domain;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using NPOI.SS.UserModel;
using NPOI.XSSF.UserModel;

namespace Capture.Payment.Tests;

/// <summary>Campus-card refunds (003): finance's round trip, as for the deduction batch: export the refunds waiting, import the result, all lines or none, once.</summary>
public sealed class CardRefundBatchTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;
    private const string Header = "退款单号,订单号,学号,金额(元),结果,原因";

    static CardRefundBatchTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Students paid by campus card (through finance's deduction file), each with a refund the school admin asked for.</summary>
    private async Task<List<(TestStudent Student, PaymentOrder Order, Refund Refund)>> CardRefundsAsync(PaymentWorld world, int count, string name = "张三")
    {
        var students = new List<TestStudent>();
        for (var i = 0; i < count; i++)
        {
            students.Add(await world.ApproveAsync(3000, name: name));
        }

        var orders = new List<PaymentOrder>();
        foreach (var s in students)
        {
            orders.Add(await world.OrderAsync(s));
        }

        using var admin = world.Admin();
        var deduction = "订单号,学号,金额(元),结果\r\n" + string.Concat(orders.Select(o => $"{o.Id},{o.StudentNumber},30.00,成功\r\n"));
        using (var paid = await ImportAsync(admin, $"{Prefix}/campaigns/{world.CampaignId}/card-batch/results", Encoding.UTF8.GetBytes(deduction)))
        {
            Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
        }

        var result = new List<(TestStudent, PaymentOrder, Refund)>();
        foreach (var (s, o) in students.Zip(orders))
        {
            using var asked = await admin.PostAsJsonAsync($"{Prefix}/orders/{o.Id}/refunds", new { reason = "absent, no makeup" });
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
            result.Add((s, await world.OrderAsync(s), await RefundAsync(world, o.Id)));
        }

        return result;
    }

    private static Task<Refund> RefundAsync(PaymentWorld world, Guid orderId) =>
        world.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.OrderId == orderId));

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string path, byte[] file, string contentType = "text/csv")
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await client.PostAsync(path, content);
    }

    private static Task<HttpResponseMessage> ImportResultAsync(HttpClient admin, PaymentWorld world, byte[] file, string contentType = "text/csv") =>
        ImportAsync(admin, $"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch/results", file, contentType);

    private static string Line(Refund r, PaymentOrder o, string result, string? amount = null, string reason = "", string? student = null) =>
        $"{r.Id},{o.Id},{student ?? o.StudentNumber},{amount ?? Money.Yuan(r.AmountFen)},{result},{reason}";

    private static async Task<List<string>> ErrorsAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();

    [Fact]
    public async Task Export_lists_the_card_refunds_waiting_and_the_result_refunds_the_credited_once_and_fails_the_others_with_the_reason()
    {
        var world = new PaymentWorld(app);
        var refunds = await CardRefundsAsync(world, 2);
        var (credited, creditedOrder, creditedRefund) = refunds[0];
        var (bounced, bouncedOrder, bouncedRefund) = refunds[1];
        var cash = await world.ApproveAsync(3000);
        using (var staff = world.Staff("law"))
        {
            (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { cash.StudentNumber } })).EnsureSuccessStatusCode();
        }

        using var admin = world.Admin();
        (await admin.PostAsJsonAsync($"{Prefix}/orders/{(await world.OrderAsync(cash)).Id}/refunds", new { reason = "withdrawn" })).EnsureSuccessStatusCode();

        var bytes = await admin.GetByteArrayAsync($"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch?format=csv");
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var export = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("退款单号,订单号,学号,姓名,学院,金额(元)\r\n", export);
        Assert.Contains($"{creditedRefund.Id},{creditedOrder.Id},{credited.StudentNumber},张三,law college,30.00", export);
        Assert.Contains(bouncedRefund.Id.ToString(), export);
        Assert.DoesNotContain(cash.StudentNumber, export);

        var file = Encoding.UTF8.GetBytes($"{Header}\r\n{Line(creditedRefund, creditedOrder, "成功")}\r\n{Line(bouncedRefund, bouncedOrder, "失败", reason: "卡已注销")}\r\n");
        using (var response = await ImportResultAsync(admin, world, file))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            Assert.Equal(new CardRefundBatchResult(1, 1), await response.Content.ReadFromJsonAsync<CardRefundBatchResult>());
        }

        Assert.Equal(OrderStatus.Refunded, (await world.OrderAsync(credited)).Status);
        var done = await RefundAsync(world, creditedOrder.Id);
        Assert.Equal((RefundStatus.Succeeded, RefundSources.CardBatch), (done.Status, done.CompletedVia));
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", creditedOrder.Id));
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(bounced)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", bouncedOrder.Id));
        var failed = Assert.Single((await admin.GetFromJsonAsync<List<RefundView>>($"{Prefix}/refunds?orderId={bouncedOrder.Id}"))!);
        Assert.Equal("failed", failed.Status);
        Assert.Contains("卡已注销", failed.LastError);

        // The same file again: both lines refused (done, failed), nothing changes.
        using (var again = await ImportResultAsync(admin, world, file))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
            var errors = await ErrorsAsync(again);
            Assert.Contains(errors, e => e.StartsWith("line 2:", StringComparison.Ordinal) && e.Contains("done already"));
            Assert.Contains(errors, e => e.StartsWith("line 3:", StringComparison.Ordinal) && e.Contains("failed already"));
        }

        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", creditedOrder.Id));
        var after = Encoding.UTF8.GetString((await admin.GetByteArrayAsync($"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch?format=csv"))[3..]);
        Assert.DoesNotContain(credited.StudentNumber, after);
        Assert.DoesNotContain(bounced.StudentNumber, after);

        // The card could not take it: the college hands the money back another way, and that completes the refund once.
        using var staffAgain = world.Staff("law");
        using var handedBack = await staffAgain.PostAsync($"{Prefix}/refunds/{bouncedRefund.Id}/handed-back", null);
        Assert.True(handedBack.IsSuccessStatusCode, await handedBack.Content.ReadAsStringAsync());
        Assert.Equal(OrderStatus.Refunded, (await world.OrderAsync(bounced)).Status);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", bouncedOrder.Id));
        Assert.Single((await staffAgain.GetFromJsonAsync<List<RefundView>>($"{Prefix}/refunds?campaignId={world.CampaignId}&status=requested&method=cash"))!);
    }

    [Fact]
    public async Task Wrong_amounts_duplicates_unknown_refunds_other_students_and_cash_refunds_are_each_listed_and_nothing_is_applied()
    {
        var world = new PaymentWorld(app);
        var refunds = await CardRefundsAsync(world, 5);
        var (_, okOrder, okRefund) = refunds[0];
        var (_, amountOrder, amountRefund) = refunds[1];
        var (_, dupOrder, dupRefund) = refunds[2];
        var (_, otherStudentOrder, otherStudentRefund) = refunds[3];
        var (_, wrongOrderOrder, wrongOrderRefund) = refunds[4];
        var cash = await world.ApproveAsync(3000);
        using (var staff = world.Staff("law"))
        {
            (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { cash.StudentNumber } })).EnsureSuccessStatusCode();
        }

        using var admin = world.Admin();
        var cashOrder = await world.OrderAsync(cash);
        (await admin.PostAsJsonAsync($"{Prefix}/orders/{cashOrder.Id}/refunds", new { reason = "withdrawn" })).EnsureSuccessStatusCode();
        var cashRefund = await RefundAsync(world, cashOrder.Id);

        var file = Encoding.UTF8.GetBytes(
            Header + "\r\n"
            + Line(okRefund, okOrder, "成功") + "\r\n"                                             // 2: fine, but not applied
            + Line(amountRefund, amountOrder, "成功", amount: "20.00") + "\r\n"                    // 3
            + Line(dupRefund, dupOrder, "成功") + "\r\n"                                           // 4
            + Line(dupRefund, dupOrder, "失败") + "\r\n"                                           // 5
            + $"{Guid.NewGuid()},,S1,30.00,成功,\r\n"                                               // 6
            + Line(otherStudentRefund, otherStudentOrder, "成功", student: "S-SOMEONE-ELSE") + "\r\n" // 7
            + Line(cashRefund, cashOrder, "成功") + "\r\n"                                          // 8
            + $"{okRefund.Id.ToString()[..8]},,{okOrder.StudentNumber},30.001,maybe,\r\n"           // 9
            + $"{wrongOrderRefund.Id},{okOrder.Id},{wrongOrderOrder.StudentNumber},30.00,成功,\r\n"); // 10: another order's id
        var response = await ImportResultAsync(admin, world, file);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        Assert.Contains(errors, e => e.StartsWith("line 3:", StringComparison.Ordinal) && e.Contains("20.00"));
        Assert.Contains(errors, e => e.StartsWith("lines 4, 5:", StringComparison.Ordinal) && e.Contains("more than once"));
        Assert.Contains(errors, e => e.StartsWith("line 6:", StringComparison.Ordinal) && e.Contains("not a refund of this campaign"));
        Assert.Contains(errors, e => e.StartsWith("line 7:", StringComparison.Ordinal) && e.Contains("S-SOMEONE-ELSE"));
        Assert.Contains(errors, e => e.StartsWith("line 8:", StringComparison.Ordinal) && e.Contains("cash"));
        Assert.Contains(errors, e => e.StartsWith("line 9:", StringComparison.Ordinal) && e.Contains("退款单号") && e.Contains("金额") && e.Contains("结果"));
        Assert.Contains(errors, e => e.StartsWith("line 10:", StringComparison.Ordinal) && e.Contains(okOrder.Id.ToString()));
        Assert.DoesNotContain(errors, e => e.StartsWith("line 2:", StringComparison.Ordinal));
        Assert.Equal(RefundStatus.Requested, (await RefundAsync(world, okOrder.Id)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", okOrder.Id));
    }

    [Fact]
    public async Task A_gbk_result_file_from_a_chinese_excel_is_read()
    {
        var world = new PaymentWorld(app);
        var (student, order, refund) = (await CardRefundsAsync(world, 1))[0];
        var file = Encoding.GetEncoding("GBK").GetBytes($"{Header}\r\n{Line(refund, order, "退款成功")}\r\n");
        using var admin = world.Admin();

        using var response = await ImportResultAsync(admin, world, file);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(OrderStatus.Refunded, (await world.OrderAsync(student)).Status);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task The_xlsx_export_keeps_a_formula_like_name_as_text_comes_back_as_the_result_and_a_truncated_xlsx_is_refused()
    {
        var world = new PaymentWorld(app);
        const string hostile = "=HYPERLINK(\"http://evil.example\",\"点我\")";
        var (student, order, refund) = (await CardRefundsAsync(world, 1, hostile))[0];
        using var admin = world.Admin();

        var csv = Encoding.UTF8.GetString((await admin.GetByteArrayAsync($"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch?format=csv"))[3..]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\"", csv);

        var xlsx = await admin.GetByteArrayAsync($"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch?format=xlsx");
        using (var truncated = await ImportResultAsync(admin, world, xlsx[..(xlsx.Length / 2)], "application/octet-stream"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
            Assert.Contains("could not be read", Assert.Single(await ErrorsAsync(truncated)));
        }

        Assert.Equal(RefundStatus.Requested, (await RefundAsync(world, order.Id)).Status);
        var workbook = new XSSFWorkbook(new MemoryStream(xlsx));
        var sheet = workbook.GetSheetAt(0);
        Assert.Equal("退款单号", sheet.GetRow(0).GetCell(0).StringCellValue);
        var nameCell = sheet.GetRow(1).GetCell(3);
        Assert.Equal((CellType.String, hostile), (nameCell.CellType, nameCell.StringCellValue));
        Assert.Equal((refund.Id.ToString(), student.StudentNumber, "30.00"), (sheet.GetRow(1).GetCell(0).StringCellValue, sheet.GetRow(1).GetCell(2).StringCellValue, sheet.GetRow(1).GetCell(5).StringCellValue));
        sheet.GetRow(0).CreateCell(6).SetCellValue("结果");
        sheet.GetRow(1).CreateCell(6).SetCellValue("成功");
        using var output = new MemoryStream();
        workbook.Write(output);

        using var response = await ImportResultAsync(admin, world, output.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(OrderStatus.Refunded, (await world.OrderAsync(student)).Status);
    }

    [Fact]
    public async Task The_same_file_imported_twice_at_once_refunds_once()
    {
        var world = new PaymentWorld(app);
        var refunds = await CardRefundsAsync(world, 3);
        var file = Encoding.UTF8.GetBytes(Header + "\r\n" + string.Join("\r\n", refunds.Select(x => Line(x.Refund, x.Order, "成功"))) + "\r\n");
        using var admin = world.Admin();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ImportResultAsync(admin, world, file)));

        Assert.Equal(1, responses.Count(r => r.IsSuccessStatusCode));
        Assert.All(responses.Where(r => !r.IsSuccessStatusCode), r => Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        foreach (var (_, order, _) in refunds)
        {
            Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
        }
    }

    [Fact]
    public async Task Other_schools_other_roles_a_missing_scope_claim_and_an_oversized_file_are_refused()
    {
        var world = new PaymentWorld(app);
        var (_, order, refund) = (await CardRefundsAsync(world, 1))[0];
        var file = Encoding.UTF8.GetBytes($"{Header}\r\n{Line(refund, order, "成功")}\r\n");

        using var otherSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "66666"));
        var theirExport = Encoding.UTF8.GetString((await otherSchool.GetByteArrayAsync($"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch"))[3..]);
        Assert.DoesNotContain(refund.Id.ToString(), theirExport);
        using (var theirImport = await ImportResultAsync(otherSchool, world, file))
        {
            Assert.Equal(HttpStatusCode.BadRequest, theirImport.StatusCode);
            Assert.Contains("not a refund of this campaign in your school", Assert.Single(await ErrorsAsync(theirImport)));
        }

        using var noSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: null));
        using (var missing = await noSchool.GetAsync($"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        }

        using (var missingImport = await ImportResultAsync(noSchool, world, file))
        {
            Assert.Equal(HttpStatusCode.Forbidden, missingImport.StatusCode);
        }

        using var staff = world.Staff("law");
        using (var wrongRole = await ImportResultAsync(staff, world, file))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);
        }

        using var admin = world.Admin();
        using (var badFormat = await admin.GetAsync($"{Prefix}/campaigns/{world.CampaignId}/card-refund-batch?format=pdf"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
            Assert.Contains("format", await badFormat.Content.ReadAsStringAsync());
        }

        using (var huge = await ImportResultAsync(admin, world, new byte[(5 * 1024 * 1024) + 1]))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }

        using (var empty = await ImportResultAsync(admin, world, []))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        }

        Assert.Equal(RefundStatus.Requested, (await RefundAsync(world, order.Id)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentRefunded", order.Id));
    }
}
