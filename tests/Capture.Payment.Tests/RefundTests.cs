using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Capture.Contracts.CaptureIngest;
using Capture.Contracts.Registration;
using Capture.Contracts.Scheduling;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Payment.Tests;

/// <summary>Refunds (003 §2.3): absentees without a makeup by the refund date and withdrawals after payment, through the simulator's refund API; never twice, never for a photographed student.</summary>
public sealed class RefundTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    private async Task<(PaymentWorld World, TestStudent Student, PaymentOrder Order)> PaidAsync()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        await world.PayAtSimulatorAsync((await world.OrderAsync(student)).OutTradeNo);
        return (world, student, await world.OrderWhenAsync(student, OrderStatus.Paid));
    }

    private async Task SetRefundDateAsync(PaymentWorld world, DateOnly date)
    {
        using var admin = world.Admin();
        using var response = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/refund-date", new { refundDate = date });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task AbsentAsync(PaymentWorld world, TestStudent student)
    {
        await app.Bus.Publish(new SessionClosed(Guid.NewGuid(), world.CampaignId, [student.RegistrationId], DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => world.QueryAsync(db => db.Attendances.AnyAsync(a => a.RegistrationId == student.RegistrationId && a.AbsentAt != null)), what: "the absence");
    }

    private async Task RunRefundWorkerAsync() => await app.Service.Services.GetRequiredService<RefundWorker>().RunOnceAsync(CancellationToken.None);

    private async Task<JsonElement> SimulatorOrderAsync(PaymentWorld world, string outTradeNo)
    {
        using var sim = world.Simulator();
        return await sim.GetFromJsonAsync<JsonElement>($"/sim/orders/{outTradeNo}");
    }

    [Fact]
    public async Task An_absentee_without_a_makeup_is_refunded_online_once_the_refund_date_has_come()
    {
        var (world, student, order) = await PaidAsync();
        await SetRefundDateAsync(world, ShanghaiTime.Today(DateTimeOffset.UtcNow).AddDays(-1));
        await AbsentAsync(world, student);

        var refunded = await world.OrderWhenAsync(student, OrderStatus.Refunded);

        Assert.NotNull(refunded.RefundedAt);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
        var refund = await world.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.OrderId == order.Id));
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
        Assert.Equal(3000, refund.AmountFen);
        var atProvider = await SimulatorOrderAsync(world, order.OutTradeNo);
        Assert.Equal(3000, Assert.Single(atProvider.GetProperty("refunds").EnumerateArray()).GetProperty("amountFen").GetInt64());
        await RunRefundWorkerAsync();
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task An_absentee_before_the_refund_date_or_with_a_makeup_booking_keeps_the_fee()
    {
        var (world, student, order) = await PaidAsync();
        var (_, booked, bookedOrder) = await PaidAsync();
        await SetRefundDateAsync(world, ShanghaiTime.Today(DateTimeOffset.UtcNow).AddDays(7));
        await AbsentAsync(world, student);
        await RunRefundWorkerAsync();
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);

        var bookedWorld = new PaymentWorld(app);
        await app.Bus.Publish(new MakeupBooked(Guid.NewGuid(), booked.RegistrationId, bookedOrder.CampaignId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => world.QueryAsync(db => db.Attendances.AnyAsync(a => a.RegistrationId == booked.RegistrationId && a.MakeupBookedAt != null)), what: "the booking");
        await app.Bus.Publish(new SessionClosed(Guid.NewGuid(), bookedOrder.CampaignId, [booked.RegistrationId], DateTimeOffset.UtcNow.AddDays(-30)));
        await Eventually.TrueAsync(() => world.QueryAsync(db => db.Attendances.AnyAsync(a => a.RegistrationId == booked.RegistrationId && a.AbsentAt != null)), what: "the absence");
        await RunRefundWorkerAsync();

        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(booked)).Status);
        Assert.Equal(0, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == order.Id || r.OrderId == bookedOrder.Id)));
        _ = bookedWorld;
    }

    [Fact]
    public async Task A_photographed_student_is_never_refunded_automatically()
    {
        var (world, student, order) = await PaidAsync();
        await app.Bus.Publish(new PhotoAccepted(Guid.NewGuid(), student.RegistrationId, world.CampaignId, world.School, "B1", "B1-0001", "key", "sha", true, [], "ops", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => world.QueryAsync(db => db.Attendances.AnyAsync(a => a.RegistrationId == student.RegistrationId && a.PhotographedAt != null)), what: "the photo");
        await SetRefundDateAsync(world, ShanghaiTime.Today(DateTimeOffset.UtcNow).AddDays(-1));
        await AbsentAsync(world, student);
        await app.Bus.Publish(new RegistrationWithdrawn(student.RegistrationId, world.CampaignId, student.CollegeCode, "withdrawn", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await world.OrderAsync(student)).WithdrawnAt is not null, what: "the withdrawal");

        await RunRefundWorkerAsync();

        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);
        Assert.Equal(0, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == order.Id)));
    }

    [Fact]
    public async Task A_withdrawal_after_payment_is_refunded_through_the_provider()
    {
        var (world, student, order) = await PaidAsync();
        await app.Bus.Publish(new RegistrationWithdrawn(student.RegistrationId, world.CampaignId, student.CollegeCode, "left the school", DateTimeOffset.UtcNow));

        await world.OrderWhenAsync(student, OrderStatus.Refunded);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
        var refund = await world.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.OrderId == order.Id));
        Assert.Equal(RefundRules.WithdrawnReason, refund.Reason);
    }

    [Fact]
    public async Task Ten_refund_requests_at_once_make_exactly_one_refund()
    {
        var (world, student, order) = await PaidAsync();
        using var admin = world.Admin();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/refunds", new { reason = "student asked" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        await world.OrderWhenAsync(student, OrderStatus.Refunded);
        Assert.Equal(1, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == order.Id)));
        Assert.Single((await SimulatorOrderAsync(world, order.OutTradeNo)).GetProperty("refunds").EnumerateArray());
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }

    [Fact]
    public async Task Refund_requests_outside_scope_or_for_an_unpaid_order_or_without_a_reason_are_refused()
    {
        var world = new PaymentWorld(app);
        var unpaid = await world.ApproveAsync(3000);
        var order = await world.OrderAsync(unpaid);
        using var admin = world.Admin();
        using var notPaid = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/refunds", new { reason = "x" });
        Assert.Equal(HttpStatusCode.Conflict, notPaid.StatusCode);
        using var noReason = await admin.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/refunds", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var other = app.Service.CreateClient(TestTokens.For(CaptureRoles.SchoolAdmin, school: "77777"));
        using var outside = await other.PostAsJsonAsync($"{Prefix}/orders/{order.Id}/refunds", new { reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        using var date = await other.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/refund-date", new { refundDate = "2030-01-01" });
        Assert.Equal(HttpStatusCode.Forbidden, date.StatusCode);
        using var badDate = await admin.PutAsJsonAsync($"{Prefix}/campaigns/{world.CampaignId}/refund-date", new { refundDate = (string?)null });
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Equal(0, await world.QueryAsync(db => db.Refunds.CountAsync(r => r.OrderId == order.Id)));
    }
}

/// <summary>Cash refunds: listed for the college, done when staff record the money went back.</summary>
public sealed class CashRefundTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private const string Prefix = PaymentWorld.Prefix;

    [Fact]
    public async Task A_cash_payment_withdrawn_is_listed_for_the_college_and_refunded_when_handed_back()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        using var staff = world.Staff("law");
        (await staff.PostAsJsonAsync($"{Prefix}/cash", new { campaignId = world.CampaignId, studentNumbers = new[] { student.StudentNumber } })).EnsureSuccessStatusCode();
        await app.Bus.Publish(new RegistrationWithdrawn(student.RegistrationId, world.CampaignId, "law", "left", DateTimeOffset.UtcNow));

        var refunds = await Eventually.GetAsync(
            () => staff.GetFromJsonAsync<List<Apis.RefundView>>($"{Prefix}/refunds?campaignId={world.CampaignId}&status=requested")!,
            l => l!.Count == 1, what: "the cash refund on the college's list");
        var refund = refunds![0];
        Assert.Equal((PaymentMethods.Cash, 3000L), (refund.Method, refund.AmountFen));
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(student)).Status);

        using var other = world.Staff("med");
        using var notTheirs = await other.PostAsync($"{Prefix}/refunds/{refund.Id}/handed-back", null);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);

        using var done = await staff.PostAsync($"{Prefix}/refunds/{refund.Id}/handed-back", null);
        Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
        using var again = await staff.PostAsync($"{Prefix}/refunds/{refund.Id}/handed-back", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var order = await world.OrderAsync(student);
        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Equal(1, await world.EventsAsync("PaymentRefunded", order.Id));
    }
}
