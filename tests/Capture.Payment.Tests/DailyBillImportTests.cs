using System.Globalization;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Time;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Capture.Payment.Tests;

/// <summary>Yesterday's trade bill is downloaded and reconciled on schedule, once, without ops; an import by ops is never overwritten.</summary>
public sealed class DailyBillImportTests(PaymentApp app) : IClassFixture<PaymentApp>
{
    private static readonly DateOnly Today = ShanghaiTime.Today(DateTimeOffset.UtcNow);

    /// <summary>An importer of this test's service whose clock says it is <paramref name="beijing"/> (Beijing time) on the day after today.</summary>
    private DailyBillImporter ImporterAt(TimeOnly beijing, int days = 1) => new(
        app.Service.Services.GetRequiredService<IServiceScopeFactory>(),
        Options.Create(new PaymentOptions { BillImportDays = days }),
        new FakeTimeProvider(ShanghaiTime.ToUtc(Today.AddDays(1), beijing)),
        NullLogger<DailyBillImporter>.Instance);

    [Theory]
    [InlineData("2030-10-26T10:29:59+08:00", "2030-10-22,2030-10-23,2030-10-24")]
    [InlineData("2030-10-26T10:30:00+08:00", "2030-10-23,2030-10-24,2030-10-25")]
    [InlineData("2030-10-26T02:30:00Z", "2030-10-23,2030-10-24,2030-10-25")]
    public void Yesterdays_bill_is_due_from_half_past_ten_Beijing_time_and_older_days_are_looked_at_again(string now, string days) =>
        Assert.Equal(days, string.Join(",", DailyBillImporter.DueDays(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), new TimeOnly(10, 30), 3).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));

    [Fact]
    public async Task The_days_bill_is_imported_once_after_it_is_available_and_an_import_by_ops_is_left_alone()
    {
        var world = new PaymentWorld(app);
        var student = await world.ApproveAsync(3000);
        await world.StartOnlineAsync(student);
        var number = (await world.OrderAsync(student)).OutTradeNo;
        await world.PayAtSimulatorAsync(number);
        await world.OrderWhenAsync(student, OrderStatus.Paid);

        // Before 10:30 the next day the day's bill is not due yet (the day before it is).
        Assert.DoesNotContain(Today, await ImporterAt(new TimeOnly(10, 0)).RunOnceAsync(CancellationToken.None));
        Assert.False(await world.QueryAsync(db => db.StatementImports.AnyAsync(i => i.BillDate == Today)));

        Assert.Equal([Today], await ImporterAt(new TimeOnly(10, 31)).RunOnceAsync(CancellationToken.None));
        var import = await world.QueryAsync(db => db.StatementImports.AsNoTracking().SingleAsync(i => i.BillDate == Today));
        Assert.Equal((StatementImport.FromProvider, StatementImport.BySchedule, 0), (import.Source, import.ImportedBy, import.Mismatches));
        Assert.True(import.Lines >= 1);
        Assert.True(await world.QueryAsync(db => db.StatementLines.AnyAsync(l => l.BillDate == Today && l.OutTradeNo == number && l.Kind == "SUCCESS")));

        // Looked at again (the next half hour, another instance): nothing is imported twice.
        Assert.Empty(await ImporterAt(new TimeOnly(11, 1)).RunOnceAsync(CancellationToken.None));
        Assert.Equal(import.ImportedAt, (await world.QueryAsync(db => db.StatementImports.AsNoTracking().SingleAsync(i => i.BillDate == Today))).ImportedAt);

        // A day ops imported themselves (here: the day before, from a file) is not downloaded over it.
        var before = Today.AddDays(-1);
        using (var ops = app.Service.CreateClient(TestTokens.For(CaptureRoles.Ops, school: null)))
        using (var upload = await ops.PostAsync($"{PaymentWorld.Prefix}/reconciliation/statements/{before:yyyy-MM-dd}", null))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        }

        var byOps = await world.QueryAsync(db => db.StatementImports.AsNoTracking().SingleAsync(i => i.BillDate == before));
        Assert.Empty(await ImporterAt(new TimeOnly(10, 31), days: 2).RunOnceAsync(CancellationToken.None));
        Assert.Equal(byOps.ImportedAt, (await world.QueryAsync(db => db.StatementImports.AsNoTracking().SingleAsync(i => i.BillDate == before))).ImportedAt);
    }
}
