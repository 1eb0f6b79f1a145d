using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Capture.Contracts.Registration;
using Capture.Payment.Apis;
using Capture.Payment.Domain;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Tests;

/// <summary>Orders made from Registration's events on the real broker and database, and who may see them.</summary>
public sealed class OrdersFromEventsTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    [Fact]
    public async Task An_approval_makes_one_pending_order_in_fen_which_only_its_student_sees()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var other = await world.ApproveAsync(3000);
        await world.PublishApprovalAsync(student, 3000, (await world.OrderAsync(student)).ApprovedAt); // redelivered approval

        using var client = world.Student(student);
        var mine = await client.GetFromJsonAsync<List<OrderView>>($"{Prefix}/me/orders");

        var order = Assert.Single(mine!);
        Assert.Equal(3000, order.AmountFen);
        Assert.Equal("CNY", order.Currency);
        Assert.Equal("pending", order.Status);
        Assert.Null(order.VoucherNumber);
        Assert.Equal(1, await world.QueryAsync(db => db.Orders.CountAsync(o => o.RegistrationId == student.RegistrationId)));
        using var response = await client.GetAsync($"{Prefix}/orders/{(await world.OrderAsync(other)).Id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_fee_of_zero_is_waived_at_once()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(0);
        var order = await world.OrderAsync(student);
        Assert.Equal(OrderStatus.Waived, order.Status);
        Assert.Equal(0, order.AmountFen);
    }

    [Fact]
    public async Task A_withdrawal_before_payment_cancels_the_order_and_it_cannot_be_paid_online()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await app.Bus.Publish(new RegistrationWithdrawn(student.RegistrationId, world.CampaignId, student.CollegeCode, "left the school", DateTimeOffset.UtcNow));

        var order = await world.OrderWhenAsync(student, OrderStatus.Cancelled);
        using var client = world.Student(student);
        using var response = await client.PostAsync($"{Prefix}/me/orders/{order.Id}/online", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task A_later_approval_with_another_fee_reprices_an_unpaid_order_under_a_new_merchant_order_number()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var before = await world.OrderAsync(student);
        await world.PublishApprovalAsync(student, 1500, before.ApprovedAt.AddMinutes(1));

        var after = await Eventually.GetAsync(() => world.OrderAsync(student), o => o.AmountFen == 1500, what: "the new fee");
        Assert.Equal(OrderStatus.Pending, after.Status);
        Assert.NotEqual(before.OutTradeNo, after.OutTradeNo);
        Assert.Equal(before.Id, after.Id);
    }

    [Fact]
    public async Task Staff_list_only_their_college_and_school_and_a_missing_college_claim_is_403_naming_it()
    {
        var world = new PaymentWorld(app);
        var law = await world.ApproveAsync(3000, "law");
        var med = await world.ApproveAsync(3000, "med");

        using var staff = world.Staff("law");
        var page = await staff.GetFromJsonAsync<OrderPage>($"{Prefix}/orders?campaignId={world.CampaignId}");
        Assert.Equal([law.RegistrationId], page!.Items.Select(o => o.RegistrationId));

        using var admin = world.Admin();
        var all = await admin.GetFromJsonAsync<OrderPage>($"{Prefix}/orders?campaignId={world.CampaignId}");
        Assert.Equal(2, all!.Total);

        using var otherSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "99999"));
        var none = await otherSchool.GetFromJsonAsync<OrderPage>($"{Prefix}/orders?campaignId={world.CampaignId}");
        Assert.Equal(0, none!.Total);

        using var noCollege = app.Service.CreateClient(TestTokens.For(CaptureRoles.CollegeStaff, school: world.School, college: null));
        using var refused = await noCollege.GetAsync($"{Prefix}/orders?campaignId={world.CampaignId}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("'college'", await refused.Content.ReadAsStringAsync());
        _ = med;
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("status=lost", "status")]
    public async Task Bad_list_parameters_are_400_naming_the_field(string query, string field)
    {
        var world = new PaymentWorld(app);
        using var admin = world.Admin();
        using var response = await admin.GetAsync($"{Prefix}/orders?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_school_admin_waives_a_pending_fee_with_a_reason_and_check_in_learns_it_as_paid()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var order = await world.OrderAsync(student);
        using var admin = world.Admin();

        using var noReason = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/waive", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var tooLong = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/waive", new { reason = new string('x', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        using var waived = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/waive", new { reason = "hardship (困难补助)" });
        Assert.Equal(HttpStatusCode.OK, waived.StatusCode);
        Assert.Equal(OrderStatus.Waived, (await world.OrderAsync(student)).Status);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));

        using var again = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/waive", new { reason = "twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", order.Id));
    }
}

/// <summary>Itemised fees (001: 15 web + 15 photo): shown on orders and vouchers; a changed total re-prices unpaid orders only.</summary>
public sealed class FeeItemsTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    [Fact]
    public async Task Items_show_on_orders_and_vouchers_and_a_new_total_reprices_only_unpaid_orders()
    {
        var world = new PaymentWorld(app);
        var paid = await world.ApproveAsync(3000);
        var unpaid = await world.ApproveAsync(3000);
        using (var staff = world.Staff("law"))
        {
            (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { paid.StudentNumber } })).EnsureSuccessStatusCode();
        }

        using var admin = world.Admin();
        using var split = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "网上采集", amountFen = 1500 }, new { name = "拍照", amountFen = 1500 } } });
        Assert.True(split.IsSuccessStatusCode, await split.Content.ReadAsStringAsync());
        using (var student = world.Student(paid))
        {
            var order = Assert.Single((await student.GetFromJsonAsync<List<OrderView>>($"{Prefix}/me/orders"))!);
            Assert.Equal(["网上采集", "拍照"], order.Items.Select(i => i.Name));
        }

        var csv = Encoding.UTF8.GetString(await world.Staff("law").GetByteArrayAsync($"{Prefix}/vouchers?campaignId={world.CampaignId}&format=csv"));
        Assert.Contains("网上采集 15.00 + 拍照 15.00", csv);

        var before = await world.OrderAsync(unpaid);
        using var raise = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "网上采集", amountFen = 1500 }, new { name = "拍照", amountFen = 2000 } } });
        Assert.True(raise.IsSuccessStatusCode, await raise.Content.ReadAsStringAsync());
        var after = await world.OrderAsync(unpaid);
        Assert.Equal(3500, after.AmountFen);
        Assert.NotEqual(before.OutTradeNo, after.OutTradeNo);
        Assert.Equal(3000, (await world.OrderAsync(paid)).AmountFen);

        using var bad = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "", amountFen = 1500 } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("items[0].name", await bad.Content.ReadAsStringAsync());
        using var negative = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "x", amountFen = -1 } } });
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        using var otherSchool = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "66666"));
        using var foreign = await otherSchool.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/fee-items", new { items = new[] { new { name = "x", amountFen = 1 } } });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(3500, (await world.OrderAsync(unpaid)).AmountFen);
    }
}
