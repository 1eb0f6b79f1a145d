using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Payment.Domain;
using NPOI.XSSF.UserModel;

namespace Capture.Payment.Tests;

/// <summary>Campus-card batches (003): export for finance, import finance's result, all lines or none.</summary>
public sealed class CardBatchTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    static CardBatchTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient admin, PaymentWorld world, byte[] file, string contentType = "text/csv")
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await admin.PostAsync($"{Prefix}/campaigns/{world.CampaignId}/card-batch/results", content);
    }

    private static string Line(PaymentOrder o, string result, string? amount = null, string reason = "") =>
        $"{o.Id},{o.StudentNumber},{amount ?? Money.Yuan(o.AmountFen)},{result},{reason}";

    [Fact]
    public async Task Export_lists_pending_orders_and_the_result_file_pays_the_deducted_and_tells_the_failed()
    {
        var world = new PaymentWorld(app);
        var deducted = await world.ApproveAsync(3000);
        var failed = await world.ApproveAsync(3000);
        var cash = await world.ApproveAsync(3000);
        using (var staff = world.Staff("law"))
        {
            (await staff.PostAsync($"{Prefix}/cash", JsonContent(new { campaignId = world.CampaignId, studentNumbers = new[] { cash.StudentNumber } }))).EnsureSuccessStatusCode();
        }

        using var admin = world.Admin();
        var export = Encoding.UTF8.GetString((await admin.GetByteArrayAsync($"{Prefix}/campaigns/{world.CampaignId}/card-batch?format=csv"))[3..]);
        Assert.StartsWith("订单号,学号,姓名,学院,金额(元)", export);
        Assert.Contains(deducted.StudentNumber + ",张三,law college,30.00", export);
        Assert.Contains(failed.StudentNumber, export);
        Assert.DoesNotContain(cash.StudentNumber, export);

        var a = await world.OrderAsync(deducted);
        var b = await world.OrderAsync(failed);
        var file = Encoding.UTF8.GetBytes($"订单号,学号,金额(元),结果,原因\r\n{Line(a, "成功")}\r\n{Line(b, "失败", reason: "余额不足")}\r\n");
        using var response = await ImportAsync(admin, world, file);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var paid = await world.OrderAsync(deducted);
        Assert.Equal((OrderStatus.Paid, PaymentMethods.CampusCard), (paid.Status, paid.Method));
        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(failed)).Status);
        Assert.Equal(1, await world.EventsAsync("PaymentFailed", b.Id));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", a.Id));

        // The failed student may still pay online.
        var online = await world.StartOnlineAsync(failed);
        Assert.StartsWith("weixin://", online.CodeUrl);

        using var again = await ImportAsync(admin, world, Encoding.UTF8.GetBytes($"订单号,学号,金额(元),结果\r\n{Line(a, "成功")}\r\n"));
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", a.Id));
    }

    [Fact]
    public async Task Wrong_amounts_duplicates_unknown_orders_and_other_students_are_each_listed_and_nothing_is_applied()
    {
        var world = new PaymentWorld(app);
        var ok = await world.ApproveAsync(3000);
        var wrongAmount = await world.ApproveAsync(3000);
        var dup = await world.ApproveAsync(3000);
        var o1 = await world.OrderAsync(ok);
        var o2 = await world.OrderAsync(wrongAmount);
        var o3 = await world.OrderAsync(dup);
        var file = Encoding.UTF8.GetBytes(
            "订单号,学号,金额(元),结果\r\n"
            + Line(o1, "成功") + "\r\n"
            + Line(o2, "成功", amount: "20.00") + "\r\n"
            + Line(o3, "成功") + "\r\n"
            + Line(o3, "成功") + "\r\n"
            + $"{Guid.NewGuid()},S1,30.00,成功\r\n"
            + $"{o1.Id.ToString()[..8]},{o1.StudentNumber},30.00,成功\r\n"
            + $"{o2.Id},S-SOMEONE-ELSE,30.00,成功\r\n"
            + $"{o2.Id},{o2.StudentNumber},30.001,maybe\r\n");
        using var admin = world.Admin();
        using var response = await ImportAsync(admin, world, file);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.StartsWith("line 3:", StringComparison.Ordinal) && e.Contains("20.00"));
        Assert.Contains(errors, e => e.Contains("appears more than once"));
        Assert.Contains(errors, e => e.StartsWith("line 6:", StringComparison.Ordinal) && e.Contains("not an order of this campaign"));
        Assert.Contains(errors, e => e.StartsWith("line 7:", StringComparison.Ordinal) && e.Contains("订单号"));
        Assert.Contains(errors, e => e.StartsWith("line 8:", StringComparison.Ordinal) && e.Contains("S-SOMEONE-ELSE"));
        Assert.Contains(errors, e => e.StartsWith("line 9:", StringComparison.Ordinal) && e.Contains("结果") && e.Contains("金额"));
        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(ok)).Status);
        Assert.Equal(0, await world.EventsAsync("PaymentSucceeded", o1.Id));
    }

    [Fact]
    public async Task A_gbk_result_file_from_a_chinese_excel_is_read()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(1500);
        var order = await world.OrderAsync(student);
        var file = Encoding.GetEncoding("GBK").GetBytes($"订单号,学号,金额(元),结果,原因\r\n{Line(order, "扣款成功")}\r\n");
        using var admin = world.Admin();
        using var response = await ImportAsync(admin, world, file);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
    }

    [Fact]
    public async Task The_xlsx_export_comes_back_as_an_xlsx_result_and_a_truncated_xlsx_is_refused()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        using var admin = world.Admin();
        var xlsx = await admin.GetByteArrayAsync($"{Prefix}/campaigns/{world.CampaignId}/card-batch?format=xlsx");

        using var truncated = await ImportAsync(admin, world, xlsx[..(xlsx.Length / 2)], "application/octet-stream");
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(student)).Status);

        var workbook = new XSSFWorkbook(new MemoryStream(xlsx));
        var sheet = workbook.GetSheetAt(0);
        Assert.Equal(student.StudentNumber, sheet.GetRow(1).GetCell(1).StringCellValue);
        sheet.GetRow(0).CreateCell(5).SetCellValue("结果");
        sheet.GetRow(1).CreateCell(5).SetCellValue("成功");
        using var output = new MemoryStream();
        workbook.Write(output);
        using var response = await ImportAsync(admin, world, output.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
    }

    [Fact]
    public async Task A_file_over_five_megabytes_is_refused_unread()
    {
        var world = new PaymentWorld(app);
        using var admin = world.Admin();
        using var response = await ImportAsync(admin, world, new byte[(5 * 1024 * 1024) + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
