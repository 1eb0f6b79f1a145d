using System.Net;
using System.Net.Http.Json;
using System.Text;
using Capture.Payment.Apis;
using Capture.Payment.Domain;

namespace Capture.Payment.Tests;

/// <summary>College cash, remittance batches and vouchers on the real database.</summary>
public sealed class CashTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    [Fact]
    public async Task Cash_for_a_list_pays_each_order_once_into_the_colleges_batch_and_the_school_confirms_the_total()
    {
        var world = new PaymentWorld(app);
        var students = new[] { await world.ApproveAsync(3000), await world.ApproveAsync(3000), await world.ApproveAsync(1500) };
        using var staff = world.Staff("law");

        using var response = await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = students.Select(s => s.StudentNumber) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var recorded = (await response.Content.ReadFromJsonAsync<CashRecorded>())!;
        Assert.Equal(7500, recorded.TotalFen);
        foreach (var s in students)
        {
            var order = await world.OrderAsync(s);
            Assert.Equal(OrderStatus.Paid, order.Status);
            Assert.Equal(PaymentMethods.Cash, order.Method);
            Assert.Equal(recorded.RemittanceId, order.RemittanceId);
            Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));
        }

        using var twice = await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { students[0].StudentNumber } });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", (await world.OrderAsync(students[0])).Id));

        (await staff.PostAsync($"{Prefix}/remittances/{recorded.RemittanceId}/submit", null)).EnsureSuccessStatusCode();
        using var admin = world.Admin();
        using var wrong = await admin.PostAsJsonAsync($"{Prefix}/remittances/{recorded.RemittanceId}/confirm", new { receivedFen = 7000 });
        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        Assert.Contains("7500", await wrong.Content.ReadAsStringAsync());
        using var right = await admin.PostAsJsonAsync($"{Prefix}/remittances/{recorded.RemittanceId}/confirm", new { receivedFen = 7500 });
        Assert.True(right.IsSuccessStatusCode, await right.Content.ReadAsStringAsync());
        var batches = await admin.GetFromJsonAsync<List<RemittanceView>>($"{Prefix}/remittances?campaignId={world.CampaignId}");
        var batch = Assert.Single(batches!);
        Assert.Equal(("confirmed", 3, 7500L, (long?)7500), (batch.Status, batch.Count, batch.TotalFen, batch.ReceivedFen));
    }

    [Fact]
    public async Task A_list_with_one_bad_line_records_nothing()
    {
        var world = new PaymentWorld(app);
        var good = await world.ApproveAsync(3000);
        var otherCollege = await world.ApproveAsync(3000, "med");
        using var staff = world.Staff("law");

        using var unknown = await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { good.StudentNumber, otherCollege.StudentNumber } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains(otherCollege.StudentNumber, await unknown.Content.ReadAsStringAsync());
        using var duplicate = await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { good.StudentNumber, good.StudentNumber } });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        using var empty = await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(good)).Status);
        Assert.Equal(OrderStatus.Pending, (await world.OrderAsync(otherCollege)).Status);
    }

    [Fact]
    public async Task Cash_recorded_for_one_student_by_two_secretaries_at_once_is_recorded_once()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        using var a = world.Staff("law");
        using var b = world.Staff("law");

        var responses = await Task.WhenAll(
            a.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { student.StudentNumber } }),
            b.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { student.StudentNumber } }));

        Assert.Equal(1, responses.Count(r => r.IsSuccessStatusCode));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", (await world.OrderAsync(student)).Id));
    }

    [Fact]
    public async Task Vouchers_list_per_college_as_json_and_as_a_printable_csv_or_xlsx()
    {
        var world = new PaymentWorld(app);
        var law = await world.ApproveAsync(3000, "law");
        var med = await world.ApproveAsync(3000, "med");
        using (var lawStaff = world.Staff("law"))
        {
            (await lawStaff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { law.StudentNumber } })).EnsureSuccessStatusCode();
        }

        using (var medStaff = world.Staff("med"))
        {
            (await medStaff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { med.StudentNumber } })).EnsureSuccessStatusCode();
        }

        using var staff = world.Staff("law");
        var vouchers = await staff.GetFromJsonAsync<List<VoucherView>>($"{Prefix}/vouchers?campaignId={world.CampaignId}");
        var voucher = Assert.Single(vouchers!);
        Assert.Equal(law.StudentNumber, voucher.StudentNumber);
        Assert.Equal((await world.OrderAsync(law)).VoucherNumber, voucher.VoucherNumber);

        var csv = await staff.GetByteArrayAsync($"{Prefix}/vouchers?campaignId={world.CampaignId}&format=csv");
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        var text = Encoding.UTF8.GetString(csv[3..]);
        Assert.Contains("张三", text);
        Assert.Contains(voucher.VoucherNumber, text);
        Assert.DoesNotContain(med.StudentNumber, text);

        // The same list as a workbook: one sheet, the header, the college's voucher only, numbers kept as text.
        using var xlsx = await staff.GetAsync($"{Prefix}/vouchers?campaignId={world.CampaignId}&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var workbook = new NPOI.XSSF.UserModel.XSSFWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.GetSheetAt(0);
        Assert.Equal(1, sheet.LastRowNum);
        Assert.Equal(["凭证号", "学号", "姓名"], Enumerable.Range(0, 3).Select(i => sheet.GetRow(0).GetCell(i).StringCellValue));
        Assert.Equal([voucher.VoucherNumber, law.StudentNumber, "张三"], Enumerable.Range(0, 3).Select(i => sheet.GetRow(1).GetCell(i).StringCellValue));
        Assert.Equal(NPOI.SS.UserModel.CellType.String, sheet.GetRow(1).GetCell(1).CellType);
        using var bad = await staff.GetAsync($"{Prefix}/vouchers?campaignId={world.CampaignId}&format=pdf");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);

        using var student = world.Student(law);
        var mine = await student.GetFromJsonAsync<List<OrderView>>($"{Prefix}/me/orders");
        Assert.Equal(voucher.VoucherNumber, Assert.Single(mine!).VoucherNumber);
    }
}
