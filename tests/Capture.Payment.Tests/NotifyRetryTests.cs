using System.Net.Http.Json;
using System.Text.Json;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Payment.Tests;

/// <summary>The provider's retries with back-off: a notify that arrives before its order is committed is refused (404, nothing changes) and the retry is accepted.</summary>
public sealed class NotifyRetryTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    [Fact]
    public async Task A_notify_before_the_order_is_committed_is_refused_and_the_providers_retry_pays_it_once()
    {
        var world = new PaymentWorld(app);
        var outTradeNo = PaymentOrder.NewOutTradeNo();
        var order = new PaymentOrder
        {
            Id = Guid.NewGuid(),
            RegistrationId = Guid.NewGuid(),
            CampaignId = world.CampaignId,
            SchoolCode = world.School,
            CollegeCode = "law",
            CollegeName = "law college",
            StudentNumber = "S" + Random.Shared.Next(10_000_000, 99_999_999),
            StudentName = "李四",
            AmountFen = 3000,
            Status = OrderStatus.Pending,
            OutTradeNo = outTradeNo,
            ApprovedAt = DateTimeOffset.UtcNow,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        await using var scope = app.Service.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredService<IPaymentProvider>();
        await provider.CreateQrOrderAsync(new ProviderOrder(outTradeNo, "fee", 3000, "CNY", null), CancellationToken.None);

        // The order is written but not committed while the student pays and the first notify arrives.
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
            await world.PayAtSimulatorAsync(outTradeNo);
            using var sim = world.Simulator();
            await Eventually.TrueAsync(async () =>
            {
                var state = await sim.GetFromJsonAsync<JsonElement>($"/sim/orders/{outTradeNo}");
                return state.GetProperty("notifyAttempts").GetArrayLength() >= 1;
            }, what: "the first notify");
            Assert.Equal(0, await world.QueryAsync(d => d.Orders.CountAsync(o => o.OutTradeNo == outTradeNo)));
            await transaction.CommitAsync();
        }

        var paid = await Eventually.GetAsync(
            () => world.QueryAsync(d => d.Orders.AsNoTracking().FirstAsync(o => o.OutTradeNo == outTradeNo)), o => o.Status == OrderStatus.Paid, what: "the retried notify");
        using var simulator = world.Simulator();
        var attempts = (await simulator.GetFromJsonAsync<JsonElement>($"/sim/orders/{outTradeNo}")).GetProperty("notifyAttempts").EnumerateArray()
            .Select(a => a.GetProperty("status").GetInt32()).ToList();
        Assert.Equal(404, attempts[0]);
        Assert.Equal(204, attempts[^1]);
        Assert.Equal(1, await world.EventsAsync("PaymentSucceeded", paid.Id));
    }
}
