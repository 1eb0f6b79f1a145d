using Capture.Payment.Domain;
using Capture.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// Payment's database (schema <c>payment</c>): payment orders, the merchant order numbers they gave up, refunds,
/// attendance facts for refunds, refund dates, notify nonces.
/// </summary>
/// <remarks>
/// Add a migration (the dotnet-ef tool is not obtainable here; the service scaffolds its own):
/// <c>dotnet run --project services/Payment -- migrations add &lt;Name&gt;</c>. Migrations are applied at start.
/// </remarks>
public sealed class PaymentDbContext(DbContextOptions<PaymentDbContext> options) : ServiceDbContext(options)
{
    public const string DatabaseName = "paymentdb";
    public const string SchemaName = "payment";
    public const string RoutePrefix = "/api/payment";

    /// <summary>The sequence voucher numbers (拍照凭证号) are drawn from.</summary>
    public const string VoucherSequence = "voucher_numbers";

    public override string Schema => SchemaName;

    public DbSet<PaymentOrder> Orders => Set<PaymentOrder>();

    public DbSet<SupersededTradeNumber> SupersededTradeNumbers => Set<SupersededTradeNumber>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<Attendance> Attendances => Set<Attendance>();

    public DbSet<CampaignRefundPolicy> RefundPolicies => Set<CampaignRefundPolicy>();

    public DbSet<NotifyNonce> NotifyNonces => Set<NotifyNonce>();

    public DbSet<Remittance> Remittances => Set<Remittance>();

    public DbSet<StatementLine> StatementLines => Set<StatementLine>();

    public DbSet<StatementImport> StatementImports => Set<StatementImport>();

    public DbSet<CampaignFee> CampaignFees => Set<CampaignFee>();

    /// <summary>The itemised fees of the given campaigns, by campaign.</summary>
    public async Task<Dictionary<Guid, CampaignFee>> FeesOfAsync(IEnumerable<Guid> campaignIds, CancellationToken ct)
    {
        var ids = campaignIds.Distinct().ToList();
        return await CampaignFees.AsNoTracking().Where(f => ids.Contains(f.CampaignId)).ToDictionaryAsync(f => f.CampaignId, ct);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasSequence<long>(VoucherSequence).StartsAt(1);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PaymentDbContext).Assembly);
    }
}
