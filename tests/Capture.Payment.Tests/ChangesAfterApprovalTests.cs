using Capture.Contracts.Registration;
using Capture.Payment.Domain;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Tests;

/// <summary>A fee changed in Registration after approval, and corrected student data, reach the orders.</summary>
public sealed class ChangesAfterApprovalTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    [Fact]
    public async Task A_fee_raised_from_zero_makes_waived_orders_pending_and_leaves_paid_and_hand_waived_ones_alone()
    {
        var world = new PaymentWorld(app);
        var free = await world.ApproveAsync(0);
        var handWaived = await world.ApproveAsync(0);
        await world.QueryAsync(db => db.Orders.Where(o => o.RegistrationId == handWaived.RegistrationId)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.WaiverReason, "hardship")));
        var before = await world.OrderAsync(free);

        await app.Bus.Publish(new CampaignFeeChanged(world.CampaignId, world.School, 2500, DateTimeOffset.UtcNow));

        var after = await world.OrderWhenAsync(free, OrderStatus.Pending);
        Assert.Equal(2500, after.AmountFen);
        Assert.NotEqual(before.OutTradeNo, after.OutTradeNo);
        var kept = await world.OrderAsync(handWaived);
        Assert.Equal(OrderStatus.Waived, kept.Status);
        Assert.Equal(0, kept.AmountFen);
    }

    [Fact]
    public async Task A_fee_lowered_to_zero_waives_pending_orders_and_an_approval_after_the_change_is_not_repriced()
    {
        var world = new PaymentWorld(app);
        var pending = await world.ApproveAsync(3000);
        var changedAt = DateTimeOffset.UtcNow;
        var later = await world.ApproveAsync(1000, at: changedAt.AddSeconds(5));

        await app.Bus.Publish(new CampaignFeeChanged(world.CampaignId, world.School, 0, changedAt));

        var waived = await world.OrderWhenAsync(pending, OrderStatus.Waived);
        Assert.Equal(0, waived.AmountFen);
        Assert.Equal(1000, (await world.OrderAsync(later)).AmountFen);
    }

    [Fact]
    public async Task Corrected_name_and_class_reach_the_order_and_nothing_else_changes()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        var snapshot = new StudentDataSnapshot(student.StudentNumber, "李四", "居民身份证", "110101199003070011", "master", "full-time", student.CollegeCode, "renamed college", "class 9", "east");

        await app.Bus.Publish(new StudentDataCorrected(student.RegistrationId, world.CampaignId, ["name", "className"], DateTimeOffset.UtcNow, snapshot));

        var order = await Eventually.GetAsync(() => world.OrderAsync(student), o => o.StudentName == "李四", what: "the corrected name");
        Assert.Equal("class 9", order.ClassName);
        Assert.Equal(student.CollegeCode + " college", order.CollegeName);
    }

    [Fact]
    public async Task An_approval_with_a_college_and_class_at_the_contract_limit_makes_an_order()
    {
        var world = new PaymentWorld(app);
        var student = new TestStudent(Guid.NewGuid(), "S" + Random.Shared.Next(10_000_000, 99_999_999), new string('c', StudentDataLimits.CollegeCode), 3000);
        await app.Bus.Publish(new RegistrationApproved(student.RegistrationId, world.CampaignId, world.School, student.CollegeCode, new string('院', StudentDataLimits.CollegeName),
            new string('班', StudentDataLimits.ClassName), student.StudentNumber, new string('名', StudentDataLimits.StudentName), "1101**********001X", "master", "full-time", "main", 3000, DateTimeOffset.UtcNow));

        var order = await Eventually.GetAsync(() => world.OrderOrNullAsync(student), o => o is not null, what: "the order of a registration at the limits");
        Assert.Equal(StudentDataLimits.ClassName, order!.ClassName!.Length);
    }
}
