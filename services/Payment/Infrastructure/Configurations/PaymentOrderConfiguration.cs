using Capture.Contracts.Registration;
using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Payment.Infrastructure.Configurations;

public sealed class PaymentOrderConfiguration : IEntityTypeConfiguration<PaymentOrder>
{
    public void Configure(EntityTypeBuilder<PaymentOrder> builder)
    {
        builder.ToTable("orders", t =>
        {
            t.HasCheckConstraint("ck_orders_amount", "amount_fen >= 0");
            t.HasCheckConstraint("ck_orders_paid_has_method", "status NOT IN ('Paid', 'Refunded') OR method IS NOT NULL");
        });
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.HasIndex(o => o.RegistrationId).IsUnique();
        builder.HasIndex(o => o.OutTradeNo).IsUnique();
        builder.HasIndex(o => o.VoucherNumber).IsUnique();
        builder.HasIndex(o => new { o.SchoolCode, o.StudentNumber });
        builder.HasIndex(o => new { o.CampaignId, o.CollegeCode, o.Status });
        builder.HasIndex(o => new { o.Status, o.OnlineStartedAt });
        builder.HasIndex(o => o.RemittanceId);
        builder.Property(o => o.Version).IsRowVersion();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Method).HasMaxLength(16);
        builder.Property(o => o.Currency).HasMaxLength(3);
        // At least as wide as the contract allows (StudentDataLimits), so every RegistrationApproved can be stored.
        builder.Property(o => o.SchoolCode).HasMaxLength(StudentDataLimits.SchoolCode);
        builder.Property(o => o.CollegeCode).HasMaxLength(StudentDataLimits.CollegeCode);
        builder.Property(o => o.CollegeName).HasMaxLength(StudentDataLimits.CollegeName);
        builder.Property(o => o.ClassName).HasMaxLength(StudentDataLimits.ClassName);
        builder.Property(o => o.StudentNumber).HasMaxLength(StudentDataLimits.StudentNumber);
        builder.Property(o => o.StudentName).HasMaxLength(128);
        builder.Property(o => o.OutTradeNo).HasMaxLength(32);
        builder.Property(o => o.CodeUrl).HasMaxLength(256);
        builder.Property(o => o.Channel).HasMaxLength(8);
        builder.Property(o => o.PayerOpenId).HasMaxLength(Domain.OpenId.MaxLength);
        builder.Property(o => o.PrepayId).HasMaxLength(64);
        builder.Property(o => o.ProviderTransactionId).HasMaxLength(64);
        builder.Property(o => o.VoucherNumber).HasMaxLength(32);
        builder.Property(o => o.WaiverReason).HasMaxLength(500);
    }
}
